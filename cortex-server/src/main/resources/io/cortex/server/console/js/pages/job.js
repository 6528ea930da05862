// One job: what it is, why it is where it is (diagnosis, timeline with reason codes and placement
// notes), its attempts and logs, and — for keys with the write scope — resubmit, cancel and
// update-resources.

import { api, isAbort, session } from '../api.js';
import { onLive } from '../live.js';
import {
  badge, button, card, debounce, dialog, duration, empty, facts, field, fill, h, loading, observeServerTime, pageHeader,
  problem, reasonCode, reasonLine, stateBadge, thead, time, toast,
} from '../ui.js';

const ACTIVE = ['pending', 'assigned', 'running'];
const RESUBMITTABLE = ['failed', 'pending', 'assigned'];
const SEVERITY_TONE = { BLOCKING: 'bad', WARNING: 'warn', INFO: 'neutral' };
const EVENT_TITLES = {
  SUBMITTED: 'Submitted',
  PROVIDER_ACCEPTED: 'Accepted by the provider',
  RESOURCES_UPDATED: 'Resources updated',
  WAITING: 'Waiting for a provider',
};

export function render(root, { params, signal }) {
  const id = params.id;
  const path = `api/plugin-core/jobs/${encodeURIComponent(id)}`;
  const header = h('div', pageHeader('Job', id));
  const summary = h('div', loading('Reading the job'));
  const diagnosis = h('div', loading('Diagnosing'));
  const timeline = h('div', loading('Reading the history'));
  const attempts = h('div');
  const logs = h('div', loading('Reading the logs'));
  let providers = [];
  let job = null;

  root.append(header,
    h('div.columns',
      h('div.column-main', card('Timeline', timeline), card('Logs', logs)),
      h('div.column-side', card('Summary', summary), card('Diagnosis', diagnosis), card('Attempts', attempts))));

  async function load() {
    const [j, events, diag, lines] = await Promise.allSettled([
      api(path, { signal }),
      api(`${path}/events`, { signal }),
      api(`${path}/diagnosis`, { signal }),
      api(`${path}/logs`, { query: { limit: 1000 }, signal }),
    ]);
    if (signal.aborted) return;
    if (j.status === 'rejected') {
      if (isAbort(j.reason)) return;
      fill(header, pageHeader('Job', id));
      fill(summary, problem(j.reason, 'Reading the job'));
      [diagnosis, timeline, attempts, logs].forEach((el) => fill(el));
      return;
    }
    if (diag.status === 'fulfilled') observeServerTime(diag.value.diagnosedAt);
    job = j.value;
    root.dataset.state = job.state;
    drawHeader();
    drawSummary();
    drawAttempts();
    fill(timeline, events.status === 'fulfilled' ? drawTimeline(events.value) : problem(events.reason, 'Reading the history'));
    fill(diagnosis, diag.status === 'fulfilled' ? drawDiagnosis(diag.value) : problem(diag.reason, 'Diagnosing'));
    fill(logs, lines.status === 'fulfilled' ? drawLogs(lines.value) : problem(lines.reason, 'Reading the logs'));
  }

  function drawHeader() {
    const actions = [];
    if (session.can('write')) {
      if (RESUBMITTABLE.includes(job.state)) actions.push(button('Resubmit', resubmit, { kind: 'primary', action: true }));
      if (job.state === 'pending') actions.push(button('Update resources', updateResources, { action: true }));
      if (ACTIVE.includes(job.state)) actions.push(button('Cancel', cancel, { kind: 'danger', action: true }));
    }
    fill(header, pageHeader(h('span.title-with-badge', 'Job ', h('span.id', id), ' ', stateBadge(job.state)),
      h('span', h('code', job.spec.image), job.provider ? ` on ${job.provider}` : ''), ...actions));
  }

  function drawSummary() {
    const s = job.spec;
    const r = s.resources || {};
    const labels = Object.entries(s.labels || {});
    const used = job.attemptsUsed ?? job.attempts.length;
    fill(summary, facts([
      ['State', stateBadge(job.state)],
      ['Last reason', job.lastReason ? h('span', reasonLine(job.lastReason), h('span.message.block', job.lastMessage || '')) : null],
      ['Provider', job.provider || h('span.muted', job.attempts.length ? `none now (last attempt on ${job.attempts[job.attempts.length - 1].provider})` : 'none yet')],
      ['Pinned to', job.pinnedProvider || null],
      ['Attempts', `${used} used of ${s.maxAttempts}${job.attemptsLeft !== undefined ? ` (${job.attemptsLeft} left)` : ''}`],
      ['Resources', `${r.cpu} millicores · ${r.memory} memory · ${r.storage} storage${r.gpus ? ` · ${r.gpus} GPUs` : ''}`],
      ['Command', s.command && s.command.length ? h('code', s.command.join(' ')) : null],
      ['Environment', Object.keys(s.env || {}).length ? Object.keys(s.env).join(', ') : null],
      ['Labels', labels.length ? h('span', labels.map(([k, v]) => badge(`${k}: ${v}`))) : null],
      ['Max run time', s.maxRunTime ? duration(s.maxRunTime) : null],
      ['Max price', s.maxPrice !== undefined ? String(s.maxPrice) : null],
      ['Spent', job.spent !== undefined ? String(job.spent) : null],
      ['Created', time(job.createdAt)],
      ['Updated', time(job.updatedAt)],
    ]));
  }

  function drawAttempts() {
    if (!job.attempts.length) {
      fill(attempts, empty('No attempt yet.', 'An attempt starts when a provider is chosen.'));
      return;
    }
    fill(attempts, h('table.compact',
      thead([['#', 'num'], 'Provider', 'Assigned', 'Outcome', ['Cost', 'num']]),
      h('tbody', job.attempts.map((a) => h('tr',
        h('td.num', a.number),
        h('td', a.provider, a.ref ? h('small.muted.block', a.ref) : null),
        h('td', time(a.assignedAt)),
        h('td', a.outcome ? reasonCode(a.outcome) : h('span.muted', a.endedAt ? 'ended' : 'in progress')),
        h('td.num', a.cost ?? '—'))))));
  }

  function drawTimeline(events) {
    if (!events.length) return empty('No history recorded.');
    return h('ol.timeline', events.map((e) => {
      const failover = e.type === 'STATE_CHANGED' && (e.from === 'assigned' || e.from === 'running') && e.to === 'pending';
      const title = e.type === 'STATE_CHANGED'
        ? h('span.transition', stateBadge(e.from), h('span.arrow', { 'aria-label': 'to' }, '→'), stateBadge(e.to))
        : h('span.event-type', EVENT_TITLES[e.type] || e.type);
      return h('li', { dataset: { reason: e.reason || '', type: e.type, to: e.to || '' }, class: failover ? 'failover' : `to-${e.to || 'none'}` },
        h('div.timeline-head', title, failover ? h('span.badge.tone-warn', 'failover') : null, h('span.timeline-time', time(e.timestamp))),
        reasonLine(e.reason),
        e.message ? h('p.message', e.message) : null,
        e.provider || e.attempt ? h('p.muted.small', [e.provider ? `provider ${e.provider}` : null, e.attempt ? `attempt ${e.attempt}` : null].filter(Boolean).join(' · ')) : null,
        e.placement && e.placement.length ? h('details.placement', { open: e.type === 'WAITING' || e.to === 'failed' },
          h('summary', `Placement: ${e.placement.length} provider${e.placement.length === 1 ? '' : 's'} considered`),
          h('ul', e.placement.map((n) => h('li', h('strong', n.provider), ' ', reasonLine(n.reason), n.detail ? h('span.message.block', n.detail) : null)))) : null);
    }));
  }

  function drawDiagnosis(d) {
    return h('div.diagnosis',
      h('p.diagnosis-summary', d.summary),
      d.findings.length === 0 ? empty('Nothing to report: no finding holds this job back.') : h('ul.findings', d.findings.map((f) => h('li', { dataset: { severity: f.severity } },
        h('div', badge(f.severity.toLowerCase(), SEVERITY_TONE[f.severity]), ' ', reasonCode(f.reason), f.provider ? h('span.muted', ` on ${f.provider}`) : null),
        h('p', f.message),
        f.suggestedAction && f.suggestedAction !== 'none' ? h('p.suggestion', 'Suggested: ', f.suggestedAction) : null))),
      h('small.muted', 'diagnosed ', time(d.diagnosedAt)));
  }

  function drawLogs(lines) {
    if (!lines.length) {
      return empty('No log lines.', job && ACTIVE.includes(job.state) ? 'Lines appear here while the job runs, if its provider keeps logs.' : 'The provider kept none for the last attempt.');
    }
    return h('pre.logs', lines.map((l) => h(`span.log-line.${l.stream === 'stderr' ? 'stderr' : 'stdout'}`,
      h('span.log-time', { title: l.timestamp }, new Date(l.timestamp).toLocaleTimeString()), ' ', l.text, '\n')));
  }

  // ---- actions ----

  async function loadProviders() {
    if (!providers.length) providers = await api('api/plugin-core/providers', { signal }).catch(() => []);
    return providers;
  }

  async function resubmit() {
    const list = await loadProviders();
    const select = h('select', { name: 'provider' }, h('option', { value: '' }, 'Any provider (placement decides)'),
      list.map((p) => h('option', { value: p.id }, `${p.id} (${String(p.status).toLowerCase()})`)));
    const done = await dialog({
      title: `Resubmit ${id}`,
      body: [h('p', job.state === 'failed'
        ? 'The job goes back to pending with a fresh retry budget.'
        : 'The job is placed again; a provider it sits on now is asked to cancel its attempt.'),
      field('Provider', select, 'Pin the job to one provider, or let placement choose.')],
      submitLabel: 'Resubmit',
      submit: (form) => api(`${path}/resubmit`, { method: 'POST', body: form.elements.provider.value ? { provider: form.elements.provider.value } : undefined }),
    });
    if (done) {
      toast(`Resubmitted: the job is ${done.state}`);
      load();
    }
  }

  async function cancel() {
    const done = await dialog({
      title: `Cancel ${id}?`,
      body: [h('p', 'The job stops for good; its current attempt is cancelled on its provider. A cancelled job cannot be resubmitted.')],
      submitLabel: 'Cancel the job',
      kind: 'danger',
      submit: () => api(`${path}/cancel`, { method: 'POST' }),
    });
    if (done) {
      toast('Cancelled');
      load();
    }
  }

  async function updateResources() {
    const r = job.spec.resources;
    const input = (name, value, type = 'text') => h('input', { name, value: String(value ?? ''), type, required: name !== 'gpus', spellcheck: 'false' });
    const done = await dialog({
      title: 'Update resources',
      body: [h('p', 'Only a pending job can change its request; placement tries again with the new values.'),
        h('div.field-grid',
          field('CPU (millicores)', input('cpu', r.cpu, 'number')),
          field('Memory', input('memory', r.memory), 'e.g. 512Mi, 4Gi'),
          field('Storage', input('storage', r.storage), 'e.g. 10Gi'),
          field('GPUs', input('gpus', r.gpus || 0, 'number')))],
      submitLabel: 'Update',
      submit: (form) => api(path, {
        method: 'PUT',
        body: { cpu: Number(form.elements.cpu.value), memory: form.elements.memory.value.trim(), storage: form.elements.storage.value.trim(), gpus: Number(form.elements.gpus.value || 0) },
      }),
    });
    if (done) {
      toast('Resources updated');
      load();
    }
  }

  load();
  return onLive(debounce(load, 150), { prefixes: ['job.'], jobId: id });
}
