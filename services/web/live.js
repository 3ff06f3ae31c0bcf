// The live event stream: one EventSource on EventService/WatchEvents for the whole session, so
// that pages refresh what they show when the ledger changes, without a reload. The browser
// resumes after a dropped connection with Last-Event-ID, which the server maps to after_seq.
//
// Subscribers are called with the events of a burst at once (the first connection replays the
// log, which must not cause a refresh per event). The stream also remembers which tasks have an
// extension request waiting, for the committee's queue.

const subscribers = new Set();
let source = null;
let pending = [];
let timer = 0;
let statusListener = () => {};
const extensionState = new Map();  // task id -> last extension event kind
let lastSeq = 0;

function flush() {
  timer = 0;
  const batch = pending;
  pending = [];
  for (const fn of subscribers) {
    try {
      fn(batch);
    } catch (e) {
      console.error(e);
    }
  }
}

function onMessage(message) {
  let event;
  try {
    event = JSON.parse(message.data);
  } catch (e) {
    return;
  }
  lastSeq = Math.max(lastSeq, Number(event.seq) || 0);
  if (event.kind === 'EVENT_EXTENSION_REQUESTED' || event.kind === 'EVENT_EXTENSION_DECIDED') {
    extensionState.set(String(event.taskId), event.kind);
  }
  pending.push(event);
  if (!timer) timer = setTimeout(flush, 300);
}

export function startLive(unitId) {
  stopLive();
  const params = new URLSearchParams({unitId: String(unitId || 0), afterSeq: String(lastSeq)});
  source = new EventSource(`/api/rectify.v1.EventService/WatchEvents?${params}`);
  source.onmessage = onMessage;
  source.onopen = () => statusListener(true);
  source.onerror = () => statusListener(false);
}

export function stopLive() {
  if (source) source.close();
  source = null;
}

export function resetLive() {
  stopLive();
  extensionState.clear();
  lastSeq = 0;
}

export function onLiveStatus(fn) {
  statusListener = fn;
}

// fn(events) after each burst; returns the unsubscribe function.
export function subscribe(fn) {
  subscribers.add(fn);
  return () => subscribers.delete(fn);
}

// Tasks whose last extension event is a request (not yet decided), as the stream saw them.
export function tasksWithPendingExtension() {
  const ids = [];
  for (const [id, kind] of extensionState) {
    if (kind === 'EVENT_EXTENSION_REQUESTED') ids.push(id);
  }
  return ids;
}
