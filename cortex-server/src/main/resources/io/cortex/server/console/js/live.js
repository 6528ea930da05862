// Live updates for every page: one event stream per signed-in tab, shared by the pages.
// A page subscribes with a filter and is called with each matching event, or with null when it
// should reload everything: after a replay gap, or every few seconds while the stream is down
// (the console then polls, so it stays current without the stream).

import { API_ROOT, session } from './api.js';
import { EventStream } from './sse.js';
import { observeServerTime } from './ui.js';

const EVENTS_PATH = 'api/plugin-core/events';
const POLL_MILLIS = 5000;
const subscribers = new Set();
const statusListeners = new Set();
let stream = null;
let pollTimer = null;
let status = 'closed';
let statusError = null;

/** The URL of the event stream, with optional `types` (array) and `jobId` filters. */
export function eventsUrl({ types, jobId, lastEventId } = {}) {
  const url = new URL(API_ROOT + EVENTS_PATH, window.location.origin);
  if (types && types.length) url.searchParams.set('types', types.join(','));
  if (jobId) url.searchParams.set('jobId', jobId);
  if (lastEventId !== undefined) url.searchParams.set('lastEventId', String(lastEventId));
  return url.toString();
}

/** Opens the shared stream (after sign-in). */
export function startLive() {
  if (stream) return;
  stream = new EventStream({
    url: () => eventsUrl(),
    headers: () => session.authorization(),
    onEvent: deliver,
    onStatus: (s, error) => {
      status = s;
      statusError = error || null;
      statusListeners.forEach((fn) => fn(s, statusError));
      schedulePolling();
    },
  });
  stream.start();
}

/** Closes the shared stream (on sign-out). */
export function stopLive() {
  if (stream) stream.stop();
  stream = null;
  clearInterval(pollTimer);
  pollTimer = null;
}

/** Calls `fn(status, error)` on every change of the stream's status; returns the unsubscribe function. */
export function onLiveStatus(fn) {
  statusListeners.add(fn);
  return () => statusListeners.delete(fn);
}

/**
 * Calls `fn(event)` for each event whose type starts with one of `prefixes` (e.g. ['job.']) and, when
 * `jobId` is given, that concerns that job; `fn(null)` means "reload". Returns the unsubscribe function.
 */
export function onLive(fn, { prefixes = [''], jobId } = {}) {
  const subscriber = { fn, prefixes, jobId };
  subscribers.add(subscriber);
  return () => subscribers.delete(subscriber);
}

function deliver(event) {
  if (event.type === 'cortex.replay.gap') {
    subscribers.forEach((s) => s.fn(null));
    return;
  }
  if (event.data && event.data.timestamp) observeServerTime(event.data.timestamp);
  const data = event.data && event.data.data ? event.data.data : {};
  const jobId = data.job ? data.job.id : undefined;
  subscribers.forEach((s) => {
    if (!s.prefixes.some((p) => (event.type || '').startsWith(p))) return;
    if (s.jobId && s.jobId !== jobId) return;
    s.fn(event);
  });
}

function schedulePolling() {
  const down = stream && status !== 'open' && status !== 'connecting';
  if (down && !pollTimer) {
    pollTimer = setInterval(() => subscribers.forEach((s) => s.fn(null)), POLL_MILLIS);
  } else if (!down && pollTimer) {
    clearInterval(pollTimer);
    pollTimer = null;
    // back online after a break with no resume point lost: nothing to do, the replay covers it
  }
}
