/* global document, location, fetch, setTimeout, URLSearchParams, DOMParser */
// Live pages (run, compare, sweep): while a shown run or sweep is running, poll /api/live every
// 3 s (the runs table's period), append only the points logged since each curve's last step, and
// update status badges. When a run ends, a new metric key appears or a sweep's trials change, the
// page's [data-live-swap] regions are fetched again and swapped in place: no page reload.
// Polling stops once every shown run (and the sweep) has ended.

export const POLL_MS = 3000;

const ID = /^[A-Za-z0-9_-]+$/;

/** Run ids whose badge still says running. */
function liveRunIds() {
  const ids = [...document.querySelectorAll('[data-run-status]')].filter((b) => b.dataset.status === 'running').map((b) => b.dataset.runStatus);
  return [...new Set(ids)].filter((id) => ID.test(id));
}

/** The sweep badge's id while the sweep (or one of its trials) is running, else null. */
function liveSweepId() {
  const b = document.querySelector('[data-sweep-status]');
  return b && b.dataset.live === 'true' ? b.dataset.sweepStatus : null;
}

function lastStep(series) {
  return series && series.steps.length > 0 ? series.steps[series.steps.length - 1] : -1;
}

/** The (chart, series index) pairs of every drawn curve of a live run. */
function liveCurves(live) {
  const out = [];
  for (const el of document.querySelectorAll('[data-chart="lines"][data-drawn="true"]')) {
    if (!el._series || !el._append) continue;
    const spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
    spec.series.forEach((s, i) => {
      if (live.includes(s.run)) out.push({ el, i, run: s.run, key: s.key, after: lastStep(el._series[i]) });
    });
  }
  return out;
}

function setBadge(badge, status) {
  badge.textContent = status;
  badge.dataset.status = status;
  badge.className = `status status-${status}`;
}

/** Keys a page charted when it was rendered; a run logging another one needs the charts again. */
function chartedKeys() {
  const boxes = [...document.querySelectorAll('[data-live-keys]')];
  return boxes.length === 0 ? null : new Set(boxes.flatMap((b) => JSON.parse(b.dataset.liveKeys)));
}

/** Fetches the page again and swaps its live regions (same id); `all` includes those swapped only on new keys. */
async function swapRegions(draw, all) {
  const res = await fetch(location.href, { headers: { accept: 'text/html' } });
  if (!res.ok) return;
  const fresh = new DOMParser().parseFromString(await res.text(), 'text/html');
  const drawn = [];
  for (const old of document.querySelectorAll('[data-live-swap]')) {
    if (old.dataset.liveSwap === 'keys' && !all) continue;
    const next = fresh.getElementById(old.id);
    if (!next) continue;
    const node = document.importNode(next, true);
    old.replaceWith(node);
    drawn.push(...node.querySelectorAll('[data-chart]'));
  }
  await Promise.all(drawn.map(draw));
}

/** Schedules the next poll, or marks the page done when nothing shown is live any more. */
function next(state) {
  if (liveRunIds().length === 0 && liveSweepId() === null) document.body.dataset.live = 'done';
  else setTimeout(() => tick(state), POLL_MS);
}

async function tick(state) {
  const live = liveRunIds();
  const sweep = liveSweepId();
  const curves = liveCurves(live);
  const q = new URLSearchParams();
  if (live.length > 0) q.set('runs', live.join(','));
  for (const c of curves) {
    q.append('run', c.run);
    q.append('key', c.key);
    q.append('after', String(c.after));
  }
  if (sweep !== null) q.set('sweep', sweep);
  try {
    const res = await fetch(`/api/live?${q}`, { headers: { accept: 'application/json' } });
    state.asked = live;
    if (res.ok) await apply(state, await res.json(), curves);
  } finally {
    state.polls++;
    document.body.dataset.livePolls = String(state.polls);
    next(state);
  }
}

async function apply(state, body, curves) {
  // New points first, grouped per chart so each chart redraws once.
  const perChart = new Map();
  body.series.forEach((s, n) => {
    const c = curves[n];
    if (!perChart.has(c.el)) perChart.set(c.el, []);
    perChart.get(c.el)[c.i] = s;
  });
  for (const [el, more] of perChart) {
    if (more.some((m) => m && m.steps.length > 0)) el._append(more);
  }
  let ended = false;
  let newKeys = false;
  const charted = chartedKeys();
  // A run deleted while the page is open (kiln delete) is no longer answered: stop polling it.
  const answered = new Set(body.runs.map((r) => r.id));
  for (const badge of document.querySelectorAll('[data-run-status]')) {
    if (badge.dataset.status === 'running' && state.asked.includes(badge.dataset.runStatus) && !answered.has(badge.dataset.runStatus)) setBadge(badge, 'deleted');
  }
  for (const run of body.runs) {
    for (const badge of document.querySelectorAll('[data-run-status]')) {
      if (badge.dataset.runStatus !== run.id || badge.dataset.status === run.status) continue;
      setBadge(badge, run.status);
      ended = true;
    }
    // a k-fold parent's `<key>.std` goes beside its mean, never in a chart of its own
    const keys = new Set(run.keys);
    const charts = (k) => !k.startsWith('test.') && !(k.endsWith('.std') && keys.has(k.slice(0, -4)));
    if (charted && run.keys.some((k) => charts(k) && !charted.has(k))) newKeys = true;
  }
  const sweepBadge = document.querySelector('[data-sweep-status]');
  if (body.sweep && sweepBadge && body.sweep.sig !== sweepBadge.dataset.sig) ended = true;
  if (ended || newKeys) await swapRegions(state.draw, newKeys);
}

/** Starts polling when the page shows a running run or sweep; `draw` draws a chart placeholder. */
export function initLive(draw) {
  const state = { draw, polls: 0, asked: [] };
  if (liveRunIds().length === 0 && liveSweepId() === null) return;
  document.body.dataset.live = 'polling';
  setTimeout(() => tick(state), POLL_MS);
}
