// The HTTP/JSON API as the pages call it: one POST per RPC (/api/<package.Service>/<Method>),
// the session cookie plus the CSRF token kept in memory, and errors as ApiError carrying the
// server's code, its Chinese and English messages and the offending field.

import {currentLang} from './i18n.js';

let csrfToken = '';
let onUnauthenticated = () => {};

export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.code = body.code || '';
    this.messageZh = body.messageZh || '';
    this.messageEn = body.messageEn || '';
    this.field = body.field || '';
  }

  // The message in the page's language, falling back to the full "中文 / English" text.
  text() {
    const own = currentLang() === 'en' ? this.messageEn : this.messageZh;
    return own || this.message;
  }
}

export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn;
}

async function parse(response) {
  const type = response.headers.get('Content-Type') || '';
  if (response.status === 204) return {};
  if (type.includes('json')) return response.json();
  const text = await response.text();
  return {message: text.trim() || `HTTP ${response.status}`};
}

async function send(method, path, body) {
  const headers = {Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new ApiError(0, {
      code: 'UNAVAILABLE',
      message: '无法连接服务器 / cannot reach the server',
      messageZh: '无法连接服务器',
      messageEn: 'cannot reach the server',
    });
  }
  const data = await parse(response);
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401 && !path.startsWith('/auth/')) onUnauthenticated(error);
    throw error;
  }
  return data;
}

// Calls one RPC, e.g. call('LedgerService', 'ListTasks', {unitId: '3'}).
export function call(service, method, request) {
  return send('POST', `/api/rectify.v1.${service}/${method}`, request || {});
}

// A fresh idempotency key for a mutation: a retry of the same form submission reuses it.
export function requestId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function signIn(token) {
  const session = await send('POST', '/auth/signin', {token});
  csrfToken = session.csrfToken || '';
  return session;
}

// The current session (after a reload the CSRF token lives only on the server), or null.
export async function loadSession() {
  try {
    const session = await send('GET', '/auth/session');
    csrfToken = session.csrfToken || '';
    return session;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function signOut() {
  try {
    await send('POST', '/auth/signout');
  } finally {
    csrfToken = '';
  }
}

// Reads a File as base64 (proto JSON's encoding of bytes).
export function fileToBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

// UTF-8 text as base64, for the importer's `bytes document`.
export function textToBase64(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
