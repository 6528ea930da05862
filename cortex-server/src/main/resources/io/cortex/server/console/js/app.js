// The console's entry point: sign-in, the pages, the live-updates indicator.

import { api, session } from './api.js';
import { onLiveStatus, startLive, stopLive } from './live.js';
import { loadReasons } from './reasons.js';
import { render, route, startRouter } from './router.js';
import { fill, observeServerTime, problem, tickTimes } from './ui.js';

route('/', 'overview', () => import('./pages/overview.js'));
route('/jobs', 'jobs', () => import('./pages/jobs.js'));
route('/jobs/:id', 'jobs', () => import('./pages/job.js'));
route('/providers', 'providers', () => import('./pages/providers.js'));
route('/webhooks', 'webhooks', () => import('./pages/webhooks.js'));
route('/webhooks/:id', 'webhooks', () => import('./pages/webhooks.js'));
route('/system', 'system', () => import('./pages/system.js'));

const $ = (id) => document.getElementById(id);
let routerStarted = false;

const LIVE_TEXT = {
  connecting: ['connecting', 'Connecting to the event stream…'],
  open: ['live', 'Live: pages update as the engine reports changes'],
  reconnecting: ['reconnecting', 'The event stream dropped; reconnecting (pages poll meanwhile, and the stream resumes where it stopped)'],
  unavailable: ['polling', 'This server does not serve the event stream; pages refresh every few seconds instead'],
  denied: ['polling', 'This key may not read the event stream; pages refresh every few seconds instead'],
  closed: ['offline', 'Not connected'],
};

function showLive(status, error) {
  const [text, title] = LIVE_TEXT[status] || LIVE_TEXT.closed;
  const el = $('live');
  el.dataset.status = status;
  el.textContent = text;
  el.title = error && error.detail ? `${title} (${error.detail})` : title;
}

function showSignIn(error) {
  $('nav').hidden = true;
  $('session').hidden = true;
  fill($('page'));
  delete $('page').dataset.page;
  $('signin').hidden = false;
  const box = $('signin-error');
  if (error) fill(box, problem(error));
  box.hidden = !error;
  $('api-key').value = '';
  $('api-key').focus();
}

async function showConsole() {
  $('signin').hidden = true;
  $('nav').hidden = false;
  $('session').hidden = false;
  const { who } = session;
  fill($('who'), who.name || who.key, ' · ', who.scopes.join(', '));
  $('who').title = `key ${who.key}; scopes ${who.scopes.join(', ')}`;
  document.body.dataset.scopes = who.scopes.join(' ');
  api('api/health').then((h) => observeServerTime(h.timestamp), (e) => e.problem && observeServerTime(e.problem.timestamp));
  startLive();
  if (routerStarted) {
    await render();
  } else {
    routerStarted = true;
    await startRouter();
  }
}

async function signIn(key) {
  const submit = $('signin-submit');
  submit.disabled = true;
  try {
    await session.signIn(key);
    await showConsole();
  } catch (e) {
    showSignIn(e);
  } finally {
    submit.disabled = false;
  }
}

function signOut(error) {
  stopLive();
  session.signOut();
  delete document.body.dataset.scopes;
  showSignIn(error);
}

async function boot() {
  onLiveStatus(showLive);
  $('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const key = $('api-key').value;
    if (key.trim()) signIn(key);
  });
  $('sign-out').addEventListener('click', () => signOut(null));
  window.addEventListener('cortex:unauthorized', (e) => {
    const err = e.detail;
    err.title = 'Signed out';
    err.detail = `the server no longer accepts this key: ${err.detail}`;
    signOut(err);
  });
  window.setInterval(tickTimes, 15000);
  await loadReasons();
  if (session.key) {
    await signIn(session.key);
  } else {
    showSignIn(null);
  }
  document.body.dataset.ready = 'true';
}

boot();
