// The live event stream: one EventSource on EventService/WatchEvents for the whole session, so
// that pages refresh what they show when the ledger changes, without a reload. Pages load their
// own state, so the stream starts "from now" (nothing of the stored log is replayed); the
// browser resumes after a dropped connection with Last-Event-ID, which the server maps to
// after_seq. A connection that dropped before any event came has no id to resume from: when it
// comes back, subscribers get one RESYNC event and reload what they show.
//
// Subscribers are called with the events of a burst at once.

export const RESYNC = 'RESYNC';

const subscribers = new Set();
let source = null;
let pending = [];
let timer = 0;
let statusListener = () => {};
let lastSeq = 0;
let dropped = false;

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
  pending.push(event);
  if (!timer) timer = setTimeout(flush, 300);
}

export function startLive(unitId) {
  stopLive();
  const params = new URLSearchParams({unitId: String(unitId || 0)});
  if (lastSeq > 0) {
    params.set('afterSeq', String(lastSeq));
  } else {
    params.set('fromNow', 'true');
  }
  source = new EventSource(`/api/rectify.v1.EventService/WatchEvents?${params}`);
  source.onmessage = onMessage;
  source.onopen = () => {
    statusListener(true);
    if (dropped && lastSeq === 0) {
      pending.push({kind: RESYNC, taskId: '*'});
      if (!timer) timer = setTimeout(flush, 0);
    }
    dropped = false;
  };
  source.onerror = () => {
    dropped = true;
    statusListener(false);
  };
}

export function stopLive() {
  if (source) source.close();
  source = null;
}

export function resetLive() {
  stopLive();
  lastSeq = 0;
  dropped = false;
}

export function onLiveStatus(fn) {
  statusListener = fn;
}

// fn(events) after each burst; returns the unsubscribe function.
export function subscribe(fn) {
  subscribers.add(fn);
  return () => subscribers.delete(fn);
}
