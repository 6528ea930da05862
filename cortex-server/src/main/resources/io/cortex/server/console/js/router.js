// The hash router: '#/jobs/job_123?tab=logs' renders the job page with params and query.
// A page module exports render(root, {params, query, signal}) and may return a dispose function;
// `signal` is aborted when the page is left, so its requests and timers stop with it.

const routes = [];
let current = null;

/** Registers a page for a path pattern such as '/jobs/:id'. */
export function route(pattern, nav, load) {
  const names = [];
  const regex = new RegExp(`^${pattern.replace(/:([a-zA-Z]+)/g, (_, n) => {
    names.push(n);
    return '([^/]+)';
  })}$`);
  routes.push({ regex, names, nav, load });
}

/** The current location as {path, query}. */
export function location() {
  const raw = window.location.hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  return { path: q < 0 ? raw : raw.slice(0, q), query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

/** Updates the query of the current page without re-rendering it (filters, tabs, ranges). */
export function setQuery(query) {
  const { path } = location();
  const qs = new URLSearchParams(query).toString();
  window.history.replaceState(null, '', `#${path}${qs ? `?${qs}` : ''}`);
}

/** Renders the page for the current hash into `root`. */
export async function render(root = document.getElementById('page')) {
  if (current) {
    current.controller.abort();
    if (typeof current.dispose === 'function') current.dispose();
    current = null;
  }
  const { path, query } = location();
  let match = null;
  let found = null;
  for (const r of routes) {
    match = r.regex.exec(path);
    if (match) {
      found = r;
      break;
    }
  }
  document.querySelectorAll('[data-nav]').forEach((a) => {
    a.classList.toggle('active', Boolean(found && a.dataset.nav === found.nav));
  });
  root.replaceChildren();
  const controller = new AbortController();
  const mine = { controller, dispose: null };
  current = mine;
  if (!found) {
    const p = document.createElement('p');
    p.className = 'empty';
    p.textContent = `There is no page at ${path}.`;
    root.append(p);
    return;
  }
  const params = {};
  found.names.forEach((n, i) => { params[n] = decodeURIComponent(match[i + 1]); });
  root.dataset.page = found.nav;
  const page = await found.load();
  if (current !== mine) return;
  const dispose = await page.render(root, { params, query, signal: controller.signal });
  if (current === mine) mine.dispose = dispose;
  else if (typeof dispose === 'function') dispose(); // left while it rendered
}

/** Re-renders on every hash change. */
export function startRouter() {
  window.addEventListener('hashchange', () => render());
  return render();
}
