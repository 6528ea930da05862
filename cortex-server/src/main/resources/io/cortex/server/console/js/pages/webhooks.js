// Webhooks: the endpoints events are delivered to, their health, and each delivery with every
// attempt (status code, latency, response); admin keys can pause and resume an endpoint and
// redeliver a delivery, then see how the new attempt went.

import { api, isAbort, session } from '../api.js';
import { onLive } from '../live.js';
import {
  badge, button, card, debounce, duration, empty, facts, fill, h, loading, pageHeader, problem, serverNow, shortId, thead,
  time, toast,
} from '../ui.js';

const DELIVERY_TONE = { SUCCEEDED: 'good', PENDING: 'neutral', FAILED: 'bad', ABANDONED: 'bad' };
const ATTEMPT_TONE = { SUCCEEDED: 'good', THROTTLED: 'warn', REDIRECTED: 'warn' };
const OUTCOME_TONE = { queued: 'neutral', succeeded: 'good', failed: 'bad', refused: 'bad' };
const DAY = 24 * 3600 * 1000;
const SHOWN = 100;
// After a redelivery the page asks for the delivery's attempts this often, this many times: the
// attempt is made at once unless an earlier delivery of the same job is still waiting for its retry.
const WATCH_EVERY = 1000;
const WATCH_TIMES = 15;

export function render(root, { params, signal }) {
  return params.id ? renderOne(root, params.id, signal) : renderList(root, signal);
}

function renderList(root, signal) {
  const body = h('div', loading('Reading webhook endpoints'));
  root.append(pageHeader('Webhooks', 'Endpoints that receive signed events, and how delivery to them goes'), card(null, body));

  async function load() {
    try {
      const subs = await api('api/plugin-core/webhooks', { signal });
      if (!subs.length) {
        fill(body, empty('No webhook endpoints.', 'Create one with POST /api/plugin-core/webhooks (an admin key); deliveries then show here.'));
        return;
      }
      fill(body, h('table.webhooks',
        thead(['Endpoint', 'Events', 'State', ['Queue', 'num'], ['Failures in a row', 'num'], 'Last success']),
        h('tbody', subs.map((s) => {
          const st = s.endpointStatus || {};
          return h('tr', { dataset: { webhook: s.id, url: s.url } },
            h('td', h('a', { href: `#/webhooks/${encodeURIComponent(s.id)}` }, s.url), s.description ? h('small.muted.block', s.description) : null),
            h('td', s.events.map((e) => badge(e))),
            h('td', endpointState(s)),
            h('td.num', st.queued !== undefined ? `${st.queued} queued · ${st.inFlight} sending` : '—'),
            h('td.num', st.consecutiveFailures !== undefined ? String(st.consecutiveFailures) : '—'),
            h('td', st.lastSuccessAt ? time(st.lastSuccessAt) : h('span.muted', 'never')));
        }))));
    } catch (e) {
      if (!isAbort(e)) fill(body, problem(e, 'Reading webhook endpoints'));
    }
  }

  load();
  return onLive(debounce(load, 1000), { prefixes: ['job.', 'provider.', 'webhook.'] });
}

function renderOne(root, id, signal) {
  const path = `api/plugin-core/webhooks/${encodeURIComponent(id)}`;
  const header = h('div', pageHeader('Webhook endpoint', id));
  const about = h('div', loading('Reading the endpoint'));
  const deliveries = h('div', loading('Reading deliveries'));
  const opened = new Set(); // deliveries shown open: they stay open when the list is drawn again
  const outcomes = new Map(); // delivery id -> {state, text} of its last redelivery from this page
  root.append(h('p.back', h('a', { href: '#/webhooks' }, '← All webhook endpoints')), header,
    h('div.columns', h('div.column-main', card('Deliveries', deliveries)), h('div.column-side', card('Endpoint', about))));

  async function load() {
    const [sub, history] = await Promise.allSettled([
      api(path, { signal }),
      api(`${path}/history`, { query: { since: new Date(serverNow() - DAY).toISOString(), limit: 1000 }, signal }),
    ]);
    if (signal.aborted) return;
    if (sub.status === 'rejected') {
      fill(about, problem(sub.reason, 'Reading the endpoint'));
      fill(deliveries);
      return;
    }
    const s = sub.value;
    const st = s.endpointStatus || {};
    const actions = [];
    if (session.can('admin')) {
      actions.push(s.enabled
        ? button('Pause deliveries', () => setEnabled(false), { action: true, title: 'Events are kept and delivered once resumed' })
        : button('Resume deliveries', () => setEnabled(true), { kind: 'primary', action: true }));
    }
    fill(header, pageHeader(h('span', 'Webhook endpoint ', endpointState(s)), s.url, ...actions));
    fill(about, facts([
      ['URL', h('code.block', s.url)],
      ['Events', h('span', s.events.map((e) => badge(e)))],
      ['Timeout', `${s.timeout} s`],
      ['Description', s.description || null],
      ['Signing secrets', s.secretFingerprints && s.secretFingerprints.length ? h('span', s.secretFingerprints.map((f) => h('code.block', f))) : null],
      ['Queued', st.queued !== undefined ? `${st.queued} queued, ${st.inFlight} sending${st.backpressured ? ' (backpressured)' : ''}` : null],
      ['Failures in a row', st.consecutiveFailures !== undefined ? String(st.consecutiveFailures) : null],
      ['Failing since', st.failingSince ? time(st.failingSince) : null],
      ['Last attempt', st.lastAttemptAt ? time(st.lastAttemptAt) : null],
      ['Last success', st.lastSuccessAt ? time(st.lastSuccessAt) : null],
    ]));
    if (history.status === 'rejected') {
      fill(deliveries, problem(history.reason, 'Reading deliveries'));
      return;
    }
    const list = history.value.slice().reverse(); // the server lists the oldest first
    if (!list.length) {
      fill(deliveries, empty('No deliveries in the last 24 hours.', `Events of the types this endpoint subscribes to (${s.events.join(', ')}) are delivered as they happen.`));
      return;
    }
    const admin = session.can('admin');
    fill(deliveries,
      h('p.muted.small', `The last 24 hours, newest first${list.length > SHOWN ? `: the ${SHOWN} newest of ${list.length}` : ''}. Open one to see its attempts.`),
      h('ol.deliveries', list.slice(0, SHOWN).map((d) => delivery(d, {
        open: opened.has(d.id),
        onToggle: (isOpen) => (isOpen ? opened.add(d.id) : opened.delete(d.id)),
        outcome: outcomes.get(d.id),
        redeliver: admin ? redeliverButton(s, d) : null,
      }))));
  }

  function redeliverButton(s, d) {
    const b = button('Redeliver', () => redeliver(d, b), {
      action: true,
      title: s.enabled ? 'Send it again now, with the same webhook-id, and show how the attempt went'
        : 'Deliveries to this endpoint are paused: resume them first',
    });
    b.disabled = !s.enabled;
    return b;
  }

  async function redeliver(d, b) {
    b.disabled = true;
    const last = d.attempts.length ? d.attempts[d.attempts.length - 1].number : 0;
    try {
      await api(`${path}/deliveries/${encodeURIComponent(d.id)}/redeliver`, { method: 'POST', signal });
    } catch (e) {
      if (isAbort(e)) return;
      outcomes.set(d.id, { state: 'refused', text: `Not redelivered: ${e.detail}` });
      toast(e.detail, 'bad');
      load();
      return;
    }
    outcomes.set(d.id, { state: 'queued', text: 'Redelivery queued: it is sent again with the same webhook-id…' });
    toast(`Delivery ${d.id} queued again`);
    load();
    const attempt = await watch(d, last);
    if (signal.aborted) return;
    if (!attempt) {
      outcomes.set(d.id, { state: 'queued', text: 'Redelivery queued; no attempt yet: it may wait for earlier deliveries of '
        + 'the same job to this endpoint. Its attempt shows in the table once made.' });
    } else if (attempt.outcome === 'SUCCEEDED') {
      outcomes.set(d.id, { state: 'succeeded', text: `Redelivered: attempt ${attempt.number} succeeded (HTTP ${attempt.statusCode}).` });
      toast(`Delivery ${d.id} redelivered`);
    } else {
      const why = attempt.error || (attempt.statusCode > 0 ? `HTTP ${attempt.statusCode}` : attempt.outcome.toLowerCase());
      outcomes.set(d.id, { state: 'failed', text: `Redelivery attempt ${attempt.number} failed (${why}); it is retried on the schedule.` });
      toast(`Delivery ${d.id}: redelivery failed (${why})`, 'bad');
    }
    load();
  }

  /** Waits, bounded, for an attempt of `d` after attempt number `last`; resolves to it, or null. */
  async function watch(d, last) {
    for (let i = 0; i < WATCH_TIMES && !signal.aborted; i += 1) {
      await pause(WATCH_EVERY, signal);
      try {
        const found = (await api(`${path}/history`, { query: { since: d.createdAt, limit: 1000 }, signal }))
          .find((x) => x.id === d.id);
        const attempt = found && found.attempts.length ? found.attempts[found.attempts.length - 1] : null;
        if (attempt && attempt.number > last) return attempt;
      } catch (e) {
        if (isAbort(e)) return null;
      }
    }
    return null;
  }

  async function setEnabled(enabled) {
    try {
      await api(path, { method: 'PUT', body: { enabled }, signal });
      toast(enabled ? 'Deliveries resumed' : 'Deliveries paused');
      load();
    } catch (e) {
      if (!isAbort(e)) toast(e.detail, 'bad');
    }
  }

  load();
  return onLive(debounce(load, 1000), { prefixes: ['job.', 'provider.', 'webhook.'] });
}

function endpointState(s) {
  const st = s.endpointStatus || {};
  if (!s.enabled) return badge('disabled', 'bad');
  if (st.consecutiveFailures > 0) return badge('failing', 'warn');
  return badge('enabled', 'good');
}

function pause(millis, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, millis);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

function delivery(d, { open, onToggle, outcome, redeliver }) {
  const job = d.orderingKey && d.orderingKey.startsWith('job_') ? d.orderingKey : null;
  const details = h('details', { open },
    h('summary',
      badge(d.status.toLowerCase(), DELIVERY_TONE[d.status] || 'neutral'),
      h('strong', ` ${d.eventType} `),
      job ? h('a.id', { href: `#/jobs/${encodeURIComponent(job)}` }, job) : shortId(d.eventId),
      h('span.muted', ` · ${d.attempts.length} attempt${d.attempts.length === 1 ? '' : 's'} · `), time(d.createdAt),
      d.nextAttemptAt && d.status === 'PENDING' ? h('span.muted', ' · next try ', time(d.nextAttemptAt)) : null),
    h('p.muted.small', 'message ', h('code', d.id), ' · event ', h('code', d.eventId)),
    redeliver || outcome ? h('div.redelivery',
      redeliver,
      outcome ? h(`p.redelivery-outcome.tone-${OUTCOME_TONE[outcome.state]}`, { dataset: { outcome: outcome.state }, role: 'status' },
        outcome.text) : null) : null,
    d.attempts.length === 0 ? empty('Not attempted yet.') : h('table.compact.attempts',
      thead([['#', 'num'], 'When', 'Outcome', ['HTTP', 'num'], ['Latency', 'num'], 'Response']),
      h('tbody', d.attempts.map((a) => h('tr',
        h('td.num', a.number),
        h('td', time(a.at)),
        h('td', badge(a.outcome.toLowerCase().replace(/_/g, ' '), ATTEMPT_TONE[a.outcome] || 'bad')),
        h('td.num', a.statusCode > 0 ? String(a.statusCode) : '—'),
        h('td.num', duration(a.latency)),
        h('td.response', a.error ? h('span.message', a.error) : null,
          a.responseBody ? h('code.block', a.responseBody + (a.responseBodyTruncated ? ' …' : '')) : null))))));
  details.addEventListener('toggle', () => onToggle(details.open));
  return h('li', { dataset: { delivery: d.id, status: d.status } }, details);
}
