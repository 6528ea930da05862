// Overview: health at a glance and the engine's trends over the last hour, 24 hours or 7 days.

import { api, isAbort } from '../api.js';
import { cssColor, timeChart } from '../charts.js';
import { onLive } from '../live.js';
import { setQuery } from '../router.js';
import {
  badge, count, debounce, empty, fill, h, loading, observeServerTime, pageHeader, problem,
} from '../ui.js';

const RANGES = [
  { id: '1h', label: 'Last hour', words: 'the last hour' },
  { id: '24h', label: '24 hours', words: 'the last 24 hours' },
  { id: '7d', label: '7 days', words: 'the last 7 days' },
];
const STATES = ['PENDING', 'ASSIGNED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const STATUSES = ['ONLINE', 'DEGRADED', 'OFFLINE'];
const HEALTH_TONE = { UP: 'good', DEGRADED: 'warn', DOWN: 'bad' };

/** A member of a map whose keys may come upper- or lower-case. */
const get = (map, key) => (map ? (map[key] ?? map[key.toLowerCase()] ?? 0) : 0);
const sum = (values) => values.reduce((a, v) => a + (v || 0), 0);

export function render(root, { query, signal }) {
  let range = RANGES.some((r) => r.id === query.get('range')) ? query.get('range') : '1h';
  const tiles = h('div.tiles', loading('Reading the engine'));
  const picker = h('div.segmented', { role: 'group', 'aria-label': 'Time range' });
  const charts = h('div.charts-body');
  const trends = h('section.card.trends', h('div.card-head', h('h2', 'Trends'), picker), charts);
  let drawn = [];

  root.append(pageHeader('Overview', 'How the engine is doing now, and how it did over time'), tiles, trends);

  async function loadTiles() {
    try {
      const [health, resources] = await Promise.all([
        api('api/health', { signal }).catch((e) => (e.status === 503 ? e.problem : Promise.reject(e))),
        api('api/system/metrics/resources', { signal }),
      ]);
      observeServerTime(health.timestamp);
      observeServerTime(resources.timestamp);
      const byState = resources.jobsByState || {};
      const providers = Object.values(health.providers || {});
      const online = providers.filter((s) => String(s).toLowerCase() === 'online').length;
      const engine = resources.engine || {};
      const failovers = sum(Object.values(engine.failovers || {}));
      fill(tiles,
        tile('Health', badge(health.status, HEALTH_TONE[health.status] || 'neutral'), health.store ? health.store.description : ''),
        tile('Active jobs', count(get(byState, 'PENDING') + get(byState, 'ASSIGNED') + get(byState, 'RUNNING')),
          `${count(get(byState, 'PENDING'))} pending · ${count(get(byState, 'ASSIGNED'))} assigned · ${count(get(byState, 'RUNNING'))} running`, '#/jobs?state=pending,assigned,running'),
        tile('Succeeded', count(get(byState, 'SUCCEEDED')), `${count(engine.submitted)} submitted since start`, '#/jobs?state=succeeded'),
        tile('Failed', count(get(byState, 'FAILED')), `${count(get(byState, 'CANCELLED'))} cancelled`, '#/jobs?state=failed'),
        tile('Providers online', `${online} / ${providers.length}`, providers.length === online ? 'all online' : 'some are not online', '#/providers'),
        tile('Failovers', count(failovers), 'attempts moved to another provider', null));
    } catch (e) {
      if (!isAbort(e)) fill(tiles, problem(e, 'Reading the engine'));
    }
  }

  function drawPicker() {
    fill(picker, RANGES.map((r) => h('button', {
      type: 'button',
      'aria-pressed': String(r.id === range),
      dataset: { range: r.id },
      onclick: () => {
        if (range === r.id) return;
        range = r.id;
        setQuery({ range });
        drawPicker();
        loadCharts();
      },
    }, r.label)));
  }

  /** Draws the range's charts; a refresh (quiet) keeps the current ones on screen until the new ones are ready. */
  async function loadCharts({ quiet = false } = {}) {
    const asked = range;
    const words = RANGES.find((r) => r.id === asked).words;
    if (!quiet) {
      drawn.forEach((c) => c.destroy());
      drawn = [];
      charts.dataset.range = asked;
      charts.dataset.state = 'loading';
      fill(charts, loading(`Reading ${words}`));
    }
    let history;
    try {
      history = await api('api/system/metrics/history', { query: { range: asked }, signal });
    } catch (e) {
      if (isAbort(e) || asked !== range) return;
      drawn.forEach((c) => c.destroy());
      drawn = [];
      charts.dataset.state = 'error';
      fill(charts, problem(e, 'Reading the history'));
      return;
    }
    if (asked !== range) return;
    drawn.forEach((c) => c.destroy());
    drawn = [];
    charts.dataset.range = asked;
    if (!history.points || history.points.length === 0) {
      charts.dataset.state = 'empty';
      const wider = asked === '7d' ? '' : ' A wider range shows older samples.';
      fill(charts, h('div', { dataset: { empty: 'history' } }, empty(`No data for ${words} yet.`,
        `The engine records one sample a minute while it runs, and a newly started engine has none yet.${wider}`),
      h('p.muted.small.center', 'Charts stay empty for longer than a few minutes? Check that the ',
        h('a', { href: '#/system' }, 'metrics service'), ' is running.')));
      return;
    }
    charts.dataset.state = 'drawn';
    fill(charts, h('p.muted.range-note', `${history.points.length} samples, one every ${stepWords(history.step)}, from `,
      h('time', { datetime: history.from, title: history.from }, new Date(history.from).toLocaleString()), ' to ',
      h('time', { datetime: history.to, title: history.to }, new Date(history.to).toLocaleString()), '.'));
    const grid = h('div.chart-grid');
    charts.append(grid);
    const reasons = [...new Set(history.points.flatMap((p) => Object.keys(p.failoversByReason || {})))];
    const panels = [
      ['jobs-by-state', 'Jobs by state', 'At the end of each step', false,
        STATES.map((s) => ({ label: s.toLowerCase(), color: cssColor(`--state-${s.toLowerCase()}`), value: (p) => get(p.jobsByState, s) }))],
      ['throughput', 'Throughput', 'Jobs per step', false, [
        { label: 'submitted', color: cssColor('--series-1'), value: (p) => p.submitted },
        { label: 'succeeded', color: cssColor('--state-succeeded'), value: (p) => p.succeeded },
        { label: 'failed', color: cssColor('--state-failed'), value: (p) => p.failed },
        { label: 'cancelled', color: cssColor('--state-cancelled'), value: (p) => p.cancelled },
      ]],
      ['failovers', 'Failovers', total(history, (p) => p.failovers, 'failover'), true, [
        { label: 'failovers', color: cssColor('--series-2'), value: (p) => p.failovers },
        ...reasons.map((r, i) => ({ label: r, color: cssColor(`--series-${3 + (i % 4)}`), value: (p) => get(p.failoversByReason, r) })),
      ]],
      ['provider-status', 'Provider status', 'Providers in each status', false,
        STATUSES.map((s) => ({ label: s.toLowerCase(), color: cssColor(`--status-${s.toLowerCase()}`), value: (p) => get(p.providers, s) }))],
      ['deliveries', 'Webhook deliveries', total(history, (p) => sum([get(p.deliveries, 'succeeded'), get(p.deliveries, 'failed')]), 'delivery', 'deliveries'), false, [
        { label: 'succeeded', color: cssColor('--state-succeeded'), value: (p) => get(p.deliveries, 'succeeded') },
        { label: 'failed', color: cssColor('--state-failed'), value: (p) => get(p.deliveries, 'failed') },
      ]],
    ];
    for (const [id, title, caption, bars, series] of panels) {
      const body = h('div.chart-body');
      grid.append(h('figure.chart', { dataset: { chart: id } }, h('figcaption', h('strong', title), h('span.muted', caption)), body));
      drawn.push(timeChart(body, history, series, { bars }));
    }
  }

  drawPicker();
  loadTiles();
  loadCharts();
  const stopLive = onLive(debounce(loadTiles, 500), { prefixes: ['job.', 'provider.'] });
  const minutely = window.setInterval(() => loadCharts({ quiet: true }), 60000);
  return () => {
    stopLive();
    window.clearInterval(minutely);
    drawn.forEach((c) => c.destroy());
  };
}

function tile(label, value, note, href) {
  const body = [h('span.tile-label', label), h('span.tile-value', value), note ? h('span.tile-note', note) : null];
  return href ? h('a.tile', { href }, body) : h('div.tile', body);
}

function total(history, f, one, many = `${one}s`) {
  const n = sum(history.points.map(f));
  return n === 0 ? `No ${many} in this range` : `${n.toLocaleString()} ${n === 1 ? one : many} in this range`;
}

function stepWords(step) {
  return { PT1M: 'minute', PT15M: '15 minutes', PT1H: 'hour' }[step] || step;
}
