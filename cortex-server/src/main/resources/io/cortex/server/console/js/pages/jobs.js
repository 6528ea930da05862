// Jobs: every job, filtered by state, provider and label, updated live as jobs change.

import { api, isAbort } from '../api.js';
import { onLive } from '../live.js';
import { setQuery } from '../router.js';
import { debounce, empty, fill, h, loading, pageHeader, problem, reasonCode, stateBadge, thead, time } from '../ui.js';

const STATES = ['pending', 'assigned', 'running', 'succeeded', 'failed', 'cancelled'];
const PAGE_SIZE = 50;

export function render(root, { query, signal }) {
  const filter = {
    states: new Set((query.get('state') || '').split(',').map((s) => s.trim().toLowerCase()).filter((s) => STATES.includes(s))),
    provider: query.get('provider') || '',
    label: query.get('label') || '',
    offset: Math.max(0, Number(query.get('offset')) || 0),
  };
  const seen = new Map(); // job id -> state, to mark what changed since the last refresh
  let firstLoad = true;

  const stateChips = h('div.chips', { role: 'group', 'aria-label': 'States' });
  const providerSelect = h('select', { id: 'filter-provider', 'aria-label': 'Provider' }, h('option', { value: '' }, 'All providers'));
  const labelInput = h('input', { id: 'filter-label', type: 'search', placeholder: 'label, e.g. team:ml', value: filter.label, 'aria-label': 'Label' });
  const clear = h('button.link', { type: 'button', onclick: () => {
    filter.states.clear();
    filter.provider = '';
    filter.label = '';
    labelInput.value = '';
    providerSelect.value = '';
    changed();
  } }, 'Clear filters');
  const summary = h('p.muted.list-summary');
  const table = h('div.table-wrap', loading('Reading jobs'));
  const pager = h('div.pager');

  root.append(
    pageHeader('Jobs', 'Every job the engine holds; the list follows the engine as jobs change'),
    h('section.card.filters', h('div.filter-row', h('span.filter-label', 'State'), stateChips),
      h('div.filter-row', h('label.filter-label', { for: 'filter-provider' }, 'Provider'), providerSelect,
        h('label.filter-label', { for: 'filter-label' }, 'Label'), labelInput, clear)),
    h('section.card', summary, table, pager));

  function drawChips() {
    fill(stateChips, STATES.map((s) => h(`button.chip.state-${s}`, {
      type: 'button',
      'aria-pressed': String(filter.states.has(s)),
      dataset: { state: s },
      onclick: () => {
        if (filter.states.has(s)) filter.states.delete(s);
        else filter.states.add(s);
        changed();
      },
    }, s)));
  }

  function changed() {
    filter.offset = 0;
    drawChips();
    const q = {};
    if (filter.states.size) q.state = [...filter.states].join(',');
    if (filter.provider) q.provider = filter.provider;
    if (filter.label) q.label = filter.label;
    setQuery(q);
    load();
  }

  providerSelect.addEventListener('change', () => {
    filter.provider = providerSelect.value;
    changed();
  });
  labelInput.addEventListener('change', () => {
    filter.label = labelInput.value.trim();
    changed();
  });

  let inFlight = null; // the newest list request: a newer one (or leaving the page) abandons it
  signal.addEventListener('abort', () => inFlight && inFlight.abort(), { once: true });
  async function load() {
    if (inFlight) inFlight.abort();
    const controller = new AbortController();
    inFlight = controller;
    const q = { limit: PAGE_SIZE, offset: filter.offset };
    if (filter.states.size) q.state = [...filter.states].join(',');
    if (filter.provider) q.provider = filter.provider;
    if (filter.label) q.label = filter.label;
    try {
      const page = await api('api/plugin-core/jobs', { query: q, signal: controller.signal });
      draw(page);
    } catch (e) {
      if (!isAbort(e)) {
        fill(table, problem(e, 'Reading jobs'));
        fill(summary);
        fill(pager);
      }
    } finally {
      if (inFlight === controller) inFlight = null;
    }
  }

  function draw(page) {
    const filtered = filter.states.size || filter.provider || filter.label;
    table.dataset.total = String(page.total);
    if (page.items.length === 0) {
      fill(summary);
      fill(pager);
      fill(table, filtered
        ? empty('No jobs match these filters.', 'Clear a filter to see more jobs.')
        : empty('No jobs yet.', 'Jobs appear here as soon as they are submitted (POST /api/plugin-core/jobs), and update as they run.'));
      return;
    }
    const first = page.offset + 1;
    const last = page.offset + page.items.length;
    fill(summary, `${first.toLocaleString()}–${last.toLocaleString()} of ${page.total.toLocaleString()} jobs${filtered ? ' matching the filters' : ''}`);
    fill(table, h('table.jobs',
      thead(['Job', 'Image', 'State', 'Provider', ['Attempts', 'num'], 'Last reason', 'Updated']),
      h('tbody', page.items.map(row))));
    fill(pager,
      h('button.secondary', { type: 'button', disabled: page.offset === 0, onclick: () => move(-PAGE_SIZE) }, '← Newer'),
      h('button.secondary', { type: 'button', disabled: !page.hasMore, onclick: () => move(PAGE_SIZE) }, 'Older →'));
    firstLoad = false;
  }

  function row(job) {
    const before = seen.get(job.id);
    seen.set(job.id, job.state);
    const fresh = !firstLoad && before === undefined;
    const moved = before !== undefined && before !== job.state;
    const used = job.attemptsUsed ?? job.attempts.length;
    return h('tr', { dataset: { jobId: job.id, state: job.state }, class: fresh ? 'fresh' : moved ? 'moved' : null },
      h('td', h('a.id', { href: `#/jobs/${encodeURIComponent(job.id)}` }, job.id)),
      h('td.image', { title: job.spec.image }, job.spec.image),
      h('td', stateBadge(job.state)),
      h('td', job.provider || h('span.muted', '—')),
      h('td.num', `${used} / ${job.spec.maxAttempts}`),
      h('td.reason-cell', reasonCode(job.lastReason), job.lastMessage ? h('span.message', { title: job.lastMessage }, job.lastMessage) : null),
      h('td', time(job.updatedAt)));
  }

  function move(by) {
    filter.offset = Math.max(0, filter.offset + by);
    const q = Object.fromEntries(new URLSearchParams(window.location.hash.split('?')[1] || ''));
    q.offset = String(filter.offset);
    setQuery(q);
    load();
  }

  async function loadProviders() {
    try {
      const providers = await api('api/plugin-core/providers', { signal });
      providers.forEach((p) => providerSelect.append(h('option', { value: p.id }, p.id)));
      providerSelect.value = filter.provider;
    } catch (e) {
      if (!isAbort(e)) providerSelect.disabled = true;
    }
  }

  drawChips();
  loadProviders();
  load();
  return onLive(debounce(load, 200), { prefixes: ['job.'] });
}
