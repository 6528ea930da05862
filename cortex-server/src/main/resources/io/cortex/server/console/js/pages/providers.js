// Providers: status and its history, capabilities, wallet and endpoints; for admin keys, top-up and
// refresh-auth. The history is the event stream's replay of provider events, kept live.

import { api, isAbort, session } from '../api.js';
import { eventsUrl, onLive } from '../live.js';
import { EventStream } from '../sse.js';
import {
  badge, button, debounce, dialog, empty, facts, field, fill, h, loading, pageHeader, problem, reasonLine,
  statusBadge, time, toast,
} from '../ui.js';

const PROVIDER_EVENTS = ['provider.status.changed', 'provider.wallet.low', 'provider.credentials.updated'];
const HISTORY_SHOWN = 12;

export function render(root, { signal }) {
  const list = h('div.provider-grid', loading('Reading providers'));
  const history = new Map(); // provider id -> [change, …] newest first
  let historyState = { status: 'connecting', error: null };
  let latest = [];

  root.append(pageHeader('Providers', 'Where jobs run: status, capabilities, wallets and credentials'), list);

  async function load() {
    try {
      const providers = await api('api/plugin-core/providers', { signal });
      const details = await Promise.all(providers.map((p) => extras(p)));
      latest = details;
      draw();
    } catch (e) {
      if (!isAbort(e)) fill(list, problem(e, 'Reading providers'));
    }
  }

  async function extras(p) {
    const abilities = p.abilities || [];
    const [wallet, detail] = await Promise.allSettled([
      abilities.includes('wallet') ? api(`api/plugin-core/providers/${encodeURIComponent(p.id)}/wallet`, { signal }) : Promise.resolve(null),
      abilities.includes('endpoints') ? api(`api/plugin-core/providers/${encodeURIComponent(p.id)}`, { signal }) : Promise.resolve(null),
    ]);
    return {
      info: p,
      wallet: wallet.status === 'fulfilled' ? wallet.value : null,
      walletError: wallet.status === 'rejected' ? wallet.reason : null,
      endpoints: detail.status === 'fulfilled' && detail.value ? detail.value.endpoints : null,
    };
  }

  function draw() {
    if (!latest.length) {
      fill(list, empty('No providers are configured.', 'Add providers to the engine (Cortex.builder().provider(…)) to run jobs.'));
      return;
    }
    fill(list, latest.map(providerCard));
  }

  function providerCard({ info, wallet, walletError, endpoints }) {
    const c = info.capabilities || {};
    const abilities = info.abilities || [];
    const actions = [button('Check now', () => check(info.id), { title: 'Ask the provider for its health now' })];
    if (session.can('admin')) {
      if (wallet) actions.push(button('Top up', () => topUp(info.id, wallet), { kind: 'primary', action: true }));
      if (abilities.includes('credentials')) actions.push(button('Refresh auth', () => refreshAuth(info.id), { action: true }));
    }
    return h('section.card.provider', { dataset: { provider: info.id, status: String(info.status).toLowerCase() } },
      h('div.card-head', h('h2', info.id, h('small.muted', ` ${info.type}`)), statusBadge(info.status)),
      h('p.status-line', `${capitalize(String(info.status))} since `, time(info.since),
        info.reason && info.reason !== 'HEALTH_CHANGED' ? h('span', ' · ', reasonLine(info.reason)) : null),
      info.message ? h('p.message', info.message) : null,
      h('div.provider-sections',
        h('div', h('h3', 'Now'), facts([
          ['Last check', time(info.lastCheck)],
          ['Failed checks', String(info.consecutiveFailures)],
          ['Jobs in flight', String(info.jobsInFlight)],
          ['Busy until', info.congestedUntil ? time(info.congestedUntil) : null],
          ['Price', c.pricePerHour !== undefined ? `${c.pricePerHour} ${c.currency || ''} per hour` : null],
          ['Wallet', walletFact(abilities, wallet, walletError)],
          ['Endpoints', endpoints && endpoints.length ? h('span', endpoints.map((u) => h('code.block', u))) : null],
        ])),
        h('div', h('h3', 'Capabilities'), facts([
          ['CPU', c.maxCpuMillis !== undefined ? `${(c.maxCpuMillis / 1000).toLocaleString()} cores` : null],
          ['Memory', c.maxMemory || null],
          ['Storage', c.maxStorage || null],
          ['GPUs', c.maxGpus !== undefined ? String(c.maxGpus) : null],
          ['Architectures', c.architectures && c.architectures.length ? c.architectures.join(', ') : 'any'],
          ['Registries', c.registries && c.registries.length ? c.registries.join(', ') : 'any'],
          ['Abilities', abilities.length ? h('span.badges', abilities.map((a) => badge(a))) : 'none'],
        ])),
        h('div.provider-history', h('h3', 'Status history'), historyList(info))),
      h('div.card-actions', actions));
  }

  function historyList(info) {
    const changes = history.get(info.id) || [];
    if (!changes.length) {
      if (historyState.status === 'unavailable' || historyState.status === 'denied') {
        return empty('No history: this server does not serve the event stream it comes from.', historyState.error ? historyState.error.detail : null);
      }
      return empty(`No change recorded: ${String(info.status).toLowerCase()} since it was first checked.`,
        'Changes appear here as they happen; the server keeps its most recent events for this list.');
    }
    return h('div', h('ol.history', changes.slice(0, HISTORY_SHOWN).map((ch) => h('li', { dataset: { to: String(ch.to || '').toLowerCase() } },
      h('span.history-time', time(ch.timestamp)),
      ch.type === 'provider.status.changed'
        ? h('span.transition', statusBadge(ch.from), h('span.arrow', '→'), statusBadge(ch.to))
        : h('span.event-type', ch.type === 'provider.wallet.low' ? 'Wallet low' : 'Credentials updated'),
      reasonLine(ch.reason),
      ch.message ? h('span.message.block', ch.message) : null))));
  }

  // The history: every provider event the server still holds, then the new ones as they happen.
  const historyStream = new EventStream({
    url: () => eventsUrl({ types: PROVIDER_EVENTS }),
    headers: () => session.authorization(),
    lastEventId: 0,
    onEvent: (event) => {
      // asking from the start always meets a gap message first: the server then sends all it holds
      if (event.type === 'cortex.replay.gap') return;
      const change = event.data && event.data.data ? event.data.data.provider : null;
      if (!change) return;
      const id = change.provider;
      const changes = history.get(id) || [];
      if (!changes.some((c) => c.eventId === event.id)) changes.unshift({ ...change, type: event.type, eventId: event.id });
      history.set(id, changes);
      redraw();
    },
    onStatus: (status, error) => {
      historyState = { ...historyState, status, error };
      redraw();
    },
  });
  const redraw = debounce(() => { if (latest.length) draw(); }, 100);

  async function check(id) {
    try {
      const info = await api(`api/plugin-core/providers/${encodeURIComponent(id)}/status`, { query: { refresh: 'true' }, signal });
      toast(`${id} is ${String(info.status).toLowerCase()}`);
      load();
    } catch (e) {
      if (!isAbort(e)) toast(`${id}: ${e.detail}`, 'bad');
    }
  }

  async function topUp(id, wallet) {
    const amount = h('input', { name: 'amount', type: 'text', inputmode: 'decimal', required: true, placeholder: '10.00' });
    const done = await dialog({
      title: `Top up ${id}'s wallet`,
      body: [h('p', `It holds ${wallet.amount} ${wallet.currency}. Jobs waiting for funds are placed again once it can pay for them.`),
        field(`Amount (${wallet.currency})`, amount)],
      submitLabel: 'Top up',
      submit: (form) => api(`api/plugin-core/providers/${encodeURIComponent(id)}/wallet/topup`, { method: 'POST', body: { amount: form.elements.amount.value.trim() } }),
    });
    if (done) {
      toast(`${id}'s wallet now holds ${done.amount} ${done.currency}`);
      load();
    }
  }

  async function refreshAuth(id) {
    try {
      await api(`api/plugin-core/providers/${encodeURIComponent(id)}/refresh-auth`, { method: 'POST', signal });
      toast(`${id}: credentials refreshed`);
      load();
    } catch (e) {
      if (!isAbort(e)) toast(`${id}: ${e.detail}`, 'bad');
    }
  }

  load();
  historyStream.start();
  const stopLive = onLive(debounce(load, 1000), { prefixes: ['provider.', 'job.'] });
  return () => {
    stopLive();
    historyStream.stop();
  };
}

// A provider without the wallet ability is never asked for one (the answer would be a 501): it says
// "no wallet". One with it shows the balance, or why it could not be read (offline, …).
function walletFact(abilities, wallet, walletError) {
  if (!abilities.includes('wallet')) return h('span.muted.no-wallet', 'no wallet');
  if (wallet) return h('strong.wallet', { dataset: { amount: String(wallet.amount) } }, `${wallet.amount} ${wallet.currency}`);
  if (walletError) return h('span.muted.wallet-error', walletError.status === 501 ? 'no wallet' : walletError.detail);
  return null;
}

function capitalize(s) {
  const l = s.toLowerCase();
  return l.charAt(0).toUpperCase() + l.slice(1);
}
