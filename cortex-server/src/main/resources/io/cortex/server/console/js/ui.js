// Small DOM helpers and the console's shared pieces: badges, times, reason codes, empty states,
// problems, dialogs and toasts. Text always goes in as text (never as HTML).

import { isAbort } from './api.js';
import { reasonOf } from './reasons.js';

/**
 * Creates an element: h('button.primary', {type: 'button', onclick: fn}, 'Save').
 * Props: attributes, 'class', 'dataset' (object), 'on<event>' (listeners), 'hidden', 'disabled'.
 * Children: strings, numbers, nodes, arrays; null, undefined and false are skipped.
 */
export function h(tag, props, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.classList.add(...classes);
  if (props && (typeof props !== 'object' || props instanceof Node || Array.isArray(props))) {
    children.unshift(props);
    props = null;
  }
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') {
      el.classList.add(...String(value).split(/\s+/).filter(Boolean));
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// ---- time -----------------------------------------------------------------------------------

const absoluteFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

// The server's clock as the browser estimates it: relative times are measured against the engine's
// "now", so a browser whose clock is off still says "just now" for what just happened.
let serverSkew = null;

/**
 * Notes an instant the server reported as its current time (a health or metrics timestamp, a live
 * event's time). The freshest estimate wins, so a late or replayed observation never drags it back.
 */
export function observeServerTime(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return;
  const skew = t - Date.now();
  serverSkew = serverSkew === null ? skew : Math.max(serverSkew, skew);
}

/** The server's current time, in milliseconds since the epoch, as estimated. */
export function serverNow() {
  return Date.now() + (serverSkew || 0);
}

/** "just now", "42 s ago", "3 min ago", "in 5 min", "2 h ago", "4 days ago". */
export function relative(date, now = serverNow()) {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  const say = (n, unit) => (seconds < 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`);
  if (abs < 5) return 'just now';
  if (abs < 60) return say(abs, 's');
  if (abs < 3600) return say(Math.round(abs / 60), 'min');
  if (abs < 86400 * 2) return say(Math.round(abs / 3600), 'h');
  return say(Math.round(abs / 86400), 'days');
}

/** The absolute form, local time with the UTC instant. */
export function absolute(date) {
  return `${absoluteFormat.format(date)} (${date.toISOString()})`;
}

/** A <time> showing a relative time, the absolute one on hover; kept fresh by tickTimes(). */
export function time(iso) {
  if (!iso) return h('span.muted', '—');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return h('span', iso);
  return h('time', { datetime: iso, title: absolute(date), dataset: { relative: '' } }, relative(date));
}

/** Refreshes every relative time on the page. */
export function tickTimes() {
  const now = serverNow();
  document.querySelectorAll('time[data-relative]').forEach((t) => {
    t.textContent = relative(new Date(t.getAttribute('datetime')), now);
  });
}

/** An ISO-8601 duration such as PT1M30S as "1 min 30 s". */
export function duration(iso) {
  if (!iso) return '—';
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(iso);
  if (!m) return iso;
  const [, d, hh, mm, ss] = m;
  const parts = [];
  if (d) parts.push(`${d} d`);
  if (hh) parts.push(`${hh} h`);
  if (mm) parts.push(`${mm} min`);
  if (ss) {
    const s = Number(ss);
    parts.push(s < 1 ? `${Math.round(s * 1000)} ms` : `${Number(s.toFixed(s < 10 ? 2 : 0))} s`);
  }
  return parts.length ? parts.join(' ') : '0 s';
}

/** Bytes as "1.5 GiB". */
export function bytes(n) {
  if (n === undefined || n === null || n < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** A count with thousands separators. */
export function count(n) {
  return n === undefined || n === null ? '—' : Number(n).toLocaleString();
}

// ---- badges -----------------------------------------------------------------------------------

/** A job state badge; the colour is the state's everywhere in the console. */
export function stateBadge(state) {
  const s = String(state || 'unknown').toLowerCase();
  return h(`span.badge.state-${s}`, { dataset: { state: s } }, s);
}

/** A provider status badge (online / degraded / offline). */
export function statusBadge(status) {
  const s = String(status || 'unknown').toLowerCase();
  return h(`span.badge.status-${s}`, { dataset: { status: s } }, s);
}

/** A badge for anything else with a tone: 'good', 'warn', 'bad' or 'neutral'. */
export function badge(text, tone = 'neutral') {
  return h(`span.badge.tone-${tone}`, String(text));
}

/** A reason code with its plain-words description on hover. */
export function reasonCode(code) {
  if (!code) return null;
  const r = reasonOf(code);
  return h('abbr.reason', { title: r ? `${r.description}. Usually: ${r.suggestedAction}` : code, dataset: { reason: code } }, code);
}

/** A reason code followed by its description, for timelines and findings. */
export function reasonLine(code) {
  if (!code) return null;
  const r = reasonOf(code);
  return h('span.reason-line', reasonCode(code), r ? h('span.reason-description', r.description) : null);
}

// ---- states of a section ------------------------------------------------------------------------

/** An empty state, in words. */
export function empty(text, hint) {
  return h('div.empty', h('p', text), hint ? h('p.muted', hint) : null);
}

/** A loading placeholder (replaced as soon as the answer comes). */
export function loading(what = 'Loading') {
  return h('p.loading', `${what}…`);
}

/** A problem box from an ApiError (or any error): the server's title, detail and request id. */
export function problem(error, context) {
  if (isAbort(error)) return null;
  const title = error && error.title ? error.title : 'Something went wrong';
  const detail = error && error.detail ? error.detail : String(error && error.message ? error.message : error);
  const fields = error && Array.isArray(error.errors) ? error.errors : [];
  return h('div.problem', { role: 'alert' },
    h('strong', context ? `${context}: ${title}` : title),
    h('p', detail),
    fields.length > 1 ? h('ul', fields.map((f) => h('li', h('code', f.field), ` ${f.message}`))) : null,
    error && error.requestId ? h('small.muted', `request ${error.requestId}`) : null);
}

// ---- layout pieces ------------------------------------------------------------------------------

/** A page heading with an optional subtitle and actions on the right. */
export function pageHeader(title, subtitle, ...actions) {
  return h('header.page-header',
    h('div', h('h1', title), subtitle ? h('p.subtitle', subtitle) : null),
    actions.length ? h('div.actions', actions) : null);
}

/** A titled card. */
export function card(title, ...body) {
  return h('section.card', title ? h('h2', title) : null, body);
}

/** A definition list from [label, value] pairs; null values are skipped. */
export function facts(pairs) {
  return h('dl.facts', pairs.filter((p) => p && p[1] !== null && p[1] !== undefined)
    .map(([k, v]) => h('div', h('dt', k), h('dd', v))));
}

/** A button. kind: 'primary', 'danger', 'secondary' (default). Mutating actions pass action: true. */
export function button(label, onclick, { kind = 'secondary', action = false, title, id } = {}) {
  return h(`button.${kind}`, { type: 'button', onclick, title, id, class: action ? 'action' : null, dataset: { label } }, label);
}

// ---- dialogs and toasts -------------------------------------------------------------------------

/**
 * A modal form. `fields` are nodes placed in the form; `submit(form)` runs on submit and may throw an
 * ApiError, shown in the dialog. Resolves with submit's value, or undefined when dismissed.
 */
export function dialog({ title, body = [], submitLabel = 'Confirm', kind = 'primary', submit }) {
  return new Promise((resolve) => {
    const error = h('div.dialog-error');
    const confirm = h(`button.${kind}`, { type: 'submit', dataset: { label: submitLabel } }, submitLabel);
    const cancel = h('button.secondary', { type: 'button', dataset: { label: 'Dismiss' } }, 'Dismiss');
    const form = h('form.dialog-form', { method: 'dialog' }, h('h2', title), body, error, h('div.dialog-actions', cancel, confirm));
    const dlg = h('dialog.modal', form);
    let settled = false;
    const close = (value) => {
      if (settled) return;
      settled = true;
      dlg.close();
      dlg.remove();
      resolve(value);
    };
    cancel.addEventListener('click', () => close(undefined));
    dlg.addEventListener('cancel', () => close(undefined));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      confirm.disabled = true;
      fill(error);
      try {
        close(await submit(form));
      } catch (err) {
        fill(error, problem(err));
        confirm.disabled = false;
      }
    });
    document.body.append(dlg);
    dlg.showModal();
    const first = form.querySelector('input, select');
    if (first) first.focus();
  });
}

/** A labelled form field. */
export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return h('div.field', h('label', { for: id }, label), input, hint ? h('small.muted', hint) : null);
}

/** A short message in the corner, gone after a few seconds. */
export function toast(text, tone = 'good') {
  const box = document.getElementById('toasts');
  const t = h(`div.toast.tone-${tone}`, text);
  box.append(t);
  setTimeout(() => t.remove(), 5000);
}

/** Runs `fn` at most once per `millis`, the last call winning; returns the debounced function. */
export function debounce(fn, millis) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), millis);
  };
}

/** A table head; a column given as [label, 'num'] is right-aligned like its numbers. */
export function thead(columns) {
  return h('thead', h('tr', columns.map((c) => (Array.isArray(c)
    ? h(`th.${c[1]}`, { scope: 'col' }, c[0])
    : h('th', { scope: 'col' }, c)))));
}

/** A short form of a long id, the whole id on hover. */
export function shortId(id) {
  return h('span.id', { title: id }, id);
}
