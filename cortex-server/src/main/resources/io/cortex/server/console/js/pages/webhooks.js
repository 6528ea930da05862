// Webhooks: the endpoints events are delivered to, their health, and each delivery with every
// attempt (status code, latency, response); admin keys can pause and resume an endpoint.

import { api, isAbort, session } from '../api.js';
import { onLive } from '../live.js';
import {
  badge, button, card, debounce, duration, empty, facts, fill, h, loading, pageHeader, problem, serverNow, shortId, thead,
  time, toast,
} from '../ui.js';

const DELIVERY_TONE = { SUCCEEDED: 'good', PENDING: 'neutral', FAILED: 'bad', ABANDONED: 'bad' };
const ATTEMPT_TONE = { SUCCEEDED: 'good', THROTTLED: 'warn', REDIRECTED: 'warn' };
const DAY = 24 * 3600 * 1000;
const SHOWN = 100;

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
    fill(deliveries,
      h('p.muted.small', `The last 24 hours, newest first${list.length > SHOWN ? `: the ${SHOWN} newest of ${list.length}` : ''}. Open one to see its attempts.`),
      h('ol.deliveries', list.slice(0, SHOWN).map(delivery)));
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

function delivery(d) {
  const job = d.orderingKey && d.orderingKey.startsWith('job_') ? d.orderingKey : null;
  return h('li', { dataset: { delivery: d.id, status: d.status } },
    h('details',
      h('summary',
        badge(d.status.toLowerCase(), DELIVERY_TONE[d.status] || 'neutral'),
        h('strong', ` ${d.eventType} `),
        job ? h('a.id', { href: `#/jobs/${encodeURIComponent(job)}` }, job) : shortId(d.eventId),
        h('span.muted', ` · ${d.attempts.length} attempt${d.attempts.length === 1 ? '' : 's'} · `), time(d.createdAt),
        d.nextAttemptAt && d.status === 'PENDING' ? h('span.muted', ' · next try ', time(d.nextAttemptAt)) : null),
      h('p.muted.small', 'message ', h('code', d.id), ' · event ', h('code', d.eventId)),
      d.attempts.length === 0 ? empty('Not attempted yet.') : h('table.compact.attempts',
        thead([['#', 'num'], 'When', 'Outcome', ['HTTP', 'num'], ['Latency', 'num'], 'Response']),
        h('tbody', d.attempts.map((a) => h('tr',
          h('td.num', a.number),
          h('td', time(a.at)),
          h('td', badge(a.outcome.toLowerCase().replace(/_/g, ' '), ATTEMPT_TONE[a.outcome] || 'bad')),
          h('td.num', a.statusCode > 0 ? String(a.statusCode) : '—'),
          h('td.num', duration(a.latency)),
          h('td.response', a.error ? h('span.message', a.error) : null,
            a.responseBody ? h('code.block', a.responseBody + (a.responseBodyTruncated ? ' …' : '')) : null)))))));
}
