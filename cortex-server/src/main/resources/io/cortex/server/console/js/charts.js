// Time-series charts over uPlot (served from its webjar): one helper that turns the history
// endpoint's points into a chart with a slot for every step of the range, so a step without a
// sample shows as a gap, never as an invented value.

import uPlot from '../vendor/uplot/uPlot.esm.js';
import { h } from './ui.js';

/** Counts have whole ticks: 1, 2, 5, 10, 20, 50, … */
const COUNT_STEPS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6].map((p) => m * p)).sort((a, b) => a - b);

/** A colour defined in console.css, e.g. cssColor('--state-running'): one palette for the console. */
export function cssColor(name) {
  return window.getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** An ISO-8601 duration of whole minutes / hours / days in seconds (PT1M, PT15M, PT1H, P1D). */
export function stepSeconds(iso) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso || '');
  if (!m) return 60;
  const [, d, hh, mm, ss] = m.map((v) => Number(v || 0));
  return Math.max(1, d * 86400 + hh * 3600 + mm * 60 + ss);
}

/**
 * Lines the history's points up on the range's steps: returns [xs, ...one array per series] with
 * null where no sample fell in a step. Each series is {label, color, value: (point) => number}.
 */
export function align(history, series) {
  const from = Date.parse(history.from) / 1000;
  const to = Date.parse(history.to) / 1000;
  const step = stepSeconds(history.step);
  const n = Math.max(1, Math.round((to - from) / step));
  const xs = Array.from({ length: n }, (_, i) => from + (i + 1) * step);
  const columns = series.map(() => new Array(n).fill(null));
  for (const p of history.points || []) {
    const i = Math.round((Date.parse(p.at) / 1000 - from) / step) - 1;
    if (i < 0 || i >= n) continue;
    series.forEach((s, k) => {
      const v = s.value(p);
      columns[k][i] = v === undefined || v === null || Number.isNaN(v) ? null : v;
    });
  }
  return [xs, ...columns];
}

/**
 * Draws a chart of `series` over `history` into `container` (which it fills). Returns {destroy}.
 * options: height (px), bars (draw the first series as bars, e.g. a count per step).
 */
export function timeChart(container, history, series, { height = 190, bars = false } = {}) {
  const data = align(history, series);
  const samples = data[1].filter((v) => v !== null).length;
  const axis = cssColor('--chart-axis');
  const grid = cssColor('--chart-grid');
  const from = Date.parse(history.from) / 1000;
  const to = Date.parse(history.to) / 1000;
  const target = h('div.chart-canvas');
  container.append(target);
  const width = () => Math.max(240, container.clientWidth || 480);
  const opts = {
    width: width(),
    height,
    cursor: { drag: { x: false, y: false }, points: { size: 7 } },
    legend: { live: true },
    scales: {
      x: { time: true, range: () => [from, to] },
      y: { range: (u, min, max) => [0, Math.max(1, Math.ceil((max || 0) * 1.15))] },
    },
    axes: [
      { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
      { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 44, incrs: COUNT_STEPS },
    ],
    series: [
      {},
      ...series.map((s, k) => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        fill: bars && k === 0 ? `${s.color}99` : undefined,
        spanGaps: false,
        paths: bars && k === 0 ? uPlot.paths.bars({ size: [0.7, 24] }) : undefined,
        points: { show: samples < 40, size: 5, fill: s.color },
        value: (u, v) => (v === null || v === undefined ? '–' : Number(v).toLocaleString()),
      })),
    ],
  };
  const plot = new uPlot(opts, data, target);
  const resize = () => plot.setSize({ width: width(), height });
  window.addEventListener('resize', resize);
  return {
    plot,
    destroy() {
      window.removeEventListener('resize', resize);
      plot.destroy();
    },
  };
}
