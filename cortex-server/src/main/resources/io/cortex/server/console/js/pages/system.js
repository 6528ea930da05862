// System: health, the engine's services (restart for admin keys), this key's rate limit and
// permissions, JVM and engine metrics, and — for admin keys — the operator log.

import { api, isAbort, session } from '../api.js';
import {
  badge, button, bytes, card, count, dialog, empty, facts, fill, h, loading, observeServerTime, pageHeader, problem,
  reasonCode, thead, time, toast,
} from '../ui.js';

const HEALTH_TONE = { UP: 'good', DEGRADED: 'warn', DOWN: 'bad' };
const SERVICE_TONE = { running: 'good', stopped: 'warn', failed: 'bad' };
const LEVEL_TONE = { INFO: 'neutral', WARN: 'warn', ERROR: 'bad' };

export function render(root, { signal }) {
  const health = h('div', loading('Reading health'));
  const services = h('div', loading('Reading services'));
  const limits = h('div', loading('Reading the rate limit'));
  const resources = h('div', loading('Reading metrics'));
  const log = h('div');
  const levelSelect = h('select', { 'aria-label': 'Lowest level' }, ['INFO', 'WARN', 'ERROR'].map((l) => h('option', { value: l }, l)));

  root.append(pageHeader('System', 'The engine\'s health, services and resources'),
    h('div.columns',
      h('div.column-main', card('Services', services), card('Resources', resources),
        session.can('admin') ? h('section.card', h('div.card-head', h('h2', 'Operator log'), levelSelect), log) : null),
      h('div.column-side', card('Health', health), card('Rate limit', limits), card('This key', facts([
        ['Name', session.who.name || '—'],
        ['Key id', h('code', session.who.key)],
        ['Scopes', h('span', session.who.scopes.map((s) => badge(s)))],
      ])))));

  async function loadHealth() {
    let body;
    try {
      body = await api('api/health', { signal });
    } catch (e) {
      if (isAbort(e)) return null;
      if (e.status !== 503 || !e.problem.status) {
        fill(health, problem(e, 'Reading health'));
        return null;
      }
      body = e.problem; // DOWN is answered with 503 and the same body
    }
    observeServerTime(body.timestamp);
    const store = body.store || {};
    fill(health, h('div', { dataset: { health: body.status } },
      h('p', badge(body.status, HEALTH_TONE[body.status] || 'neutral'), ' ', time(body.timestamp)),
      facts([
        ['Store', h('span', badge(store.status, store.status === 'UP' ? 'good' : 'bad'), ' ', store.description || '',
          store.durable ? '' : h('small.muted.block', 'in memory: jobs do not survive a restart'))],
        ['Database', store.database ? `${store.database}${store.pingMillis !== undefined ? `, ping ${store.pingMillis} ms` : ''}` : null],
        ['Store error', store.error || null],
        ...Object.entries(body.providers || {}).map(([id, s]) => [`Provider ${id}`, badge(String(s).toLowerCase(), String(s).toLowerCase() === 'online' ? 'good' : String(s).toLowerCase() === 'offline' ? 'bad' : 'warn')]),
      ])));
    return body;
  }

  async function loadServices(names) {
    try {
      const infos = await Promise.all(names.map((n) => api(`api/system/services/${encodeURIComponent(n)}`, { signal })));
      if (!infos.length) {
        fill(services, empty('The engine reports no services.'));
        return;
      }
      fill(services, h('table.services',
        thead(['Service', 'State', 'Since', 'Last run', ['Runs', 'num'], ['Restarts', 'num'], '']),
        h('tbody', infos.map((s) => h('tr', { dataset: { service: s.name } },
          h('td', h('strong', s.name), h('small.muted.block', s.description), s.failure ? h('small.problem-text.block', s.failure) : null),
          h('td', badge(String(s.state).toLowerCase(), SERVICE_TONE[String(s.state).toLowerCase()] || 'neutral')),
          h('td', time(s.since)),
          h('td', time(s.lastRun)),
          h('td.num', count(s.runs)),
          h('td.num', count(s.restarts)),
          h('td', session.can('admin') ? button('Restart', () => restart(s.name), { action: true }) : null))))));
    } catch (e) {
      if (!isAbort(e)) fill(services, problem(e, 'Reading services'));
    }
  }

  async function restart(name) {
    const done = await dialog({
      title: `Restart ${name}?`,
      body: [h('p', 'The service stops and starts again; work it was doing resumes on its next run.')],
      submitLabel: 'Restart',
      submit: () => api(`api/system/services/${encodeURIComponent(name)}/restart`, { method: 'POST' }),
    });
    if (done) {
      toast(`${name} restarted: ${String(done.state).toLowerCase()}`);
      refresh();
    }
  }

  async function loadLimits() {
    try {
      const l = await api('api/system/rate-limits', { signal });
      fill(limits, l.unlimited ? h('p', 'This server sets no rate limit.') : facts([
        ['Limit', `${count(l.limit)} requests per ${l.windowSeconds} s`],
        ['Remaining', count(l.remaining)],
        ['Full again in', `${l.resetSeconds} s`],
      ]));
    } catch (e) {
      if (!isAbort(e)) fill(limits, problem(e, 'Reading the rate limit'));
    }
  }

  async function loadResources() {
    try {
      const r = await api('api/system/metrics/resources', { signal });
      const e = r.engine || {};
      const failovers = Object.entries(e.failovers || {});
      const d = r.deliveries;
      fill(resources, h('div.resource-grid',
        h('div', h('h3', 'JVM'), facts([
          ['Heap', meter(r.heap.usedBytes, r.heap.maxBytes > 0 ? r.heap.maxBytes : r.heap.committedBytes)],
          ['Non-heap', bytes(r.nonHeap.usedBytes)],
          ['CPU', r.cpu.processCpuLoad !== undefined && r.cpu.processCpuLoad >= 0 ? `${Math.round(r.cpu.processCpuLoad * 100)} % of ${r.cpu.availableProcessors} cores` : `${r.cpu.availableProcessors} cores`],
          ['Load average', r.cpu.systemLoadAverage >= 0 ? r.cpu.systemLoadAverage.toFixed(2) : null],
          ['Threads', `${r.threads.live} live · ${r.threads.daemon} daemon · ${r.threads.peak} peak`],
          ['Up for', uptime(r.uptimeSeconds)],
        ])),
        h('div', h('h3', 'Engine'), facts([
          ['Submitted', count(e.submitted)],
          ['Succeeded', count(e.succeeded)],
          ['Failed', count(e.failed)],
          ['Cancelled', count(e.cancelled)],
          ['Placements', count(e.placements)],
          ['Failovers', failovers.length ? h('span', failovers.map(([k, v]) => h('span.block', reasonCode(k), ` ${count(v)}`))) : 'none'],
          ['Events published', `${count(e.eventsPublished)} (${count(e.eventsWaiting)} waiting)`],
        ])),
        d ? h('div', h('h3', 'Webhook deliveries'), facts([
          ['Accepted', count(d.accepted)],
          ['Succeeded', count(d.succeeded)],
          ['Failed', count(d.failed)],
        ])) : null));
    } catch (e) {
      if (!isAbort(e)) fill(resources, problem(e, 'Reading metrics'));
    }
  }

  async function loadLog() {
    if (!session.can('admin')) return;
    try {
      const records = await api('api/system/logs', { query: { limit: 50, level: levelSelect.value }, signal });
      if (!records.length) {
        fill(log, empty(`No ${levelSelect.value === 'INFO' ? '' : `${levelSelect.value} or worse `}records.`));
        return;
      }
      fill(log, h('ol.oplog', records.slice().reverse().map((r) => h('li', { dataset: { level: r.level } },
        h('span.oplog-head', badge(r.level.toLowerCase(), LEVEL_TONE[r.level]), ' ', h('strong', r.service),
          r.provider ? h('span.muted', ` · ${r.provider}`) : null,
          r.job ? h('span', ' · ', h('a.id', { href: `#/jobs/${encodeURIComponent(r.job)}` }, r.job)) : null,
          ' ', reasonCode(r.reason), h('span.oplog-time', time(r.timestamp))),
        h('span.message.block', r.message)))));
    } catch (e) {
      if (!isAbort(e)) fill(log, problem(e, 'Reading the operator log'));
    }
  }
  levelSelect.addEventListener('change', loadLog);

  async function refresh() {
    const body = await loadHealth();
    loadServices(Object.keys((body && body.services) || {}));
    loadLimits();
    loadResources();
    loadLog();
  }

  refresh();
  const timer = window.setInterval(refresh, 15000);
  return () => window.clearInterval(timer);
}

function meter(used, max) {
  const share = max > 0 ? Math.min(1, used / max) : 0;
  return h('span.meter-wrap', h('meter', { min: '0', max: '1', value: share.toFixed(3), low: '0.7', high: '0.9', optimum: '0.2' }),
    ` ${bytes(used)} of ${bytes(max)}`);
}

function uptime(seconds) {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}
