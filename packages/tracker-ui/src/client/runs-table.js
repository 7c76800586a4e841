/* global document, location, history, URL, URLSearchParams, fetch, setTimeout */
// Runs page behaviour: selection kept in the URL (?sel=), compare button state, live refresh of running rows.
import { fmtDuration, fmtNum, fmtValue } from '@kiln/core/format';

const POLL_MS = 3000;

function setQuery(name, value) {
  const url = new URL(location.href);
  if (value === '' || value === null) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  history.replaceState(null, '', url);
}

function selectedIds() {
  const offPage = [...document.querySelectorAll('#compare-form input[data-off-page]')].map((i) => i.value);
  const checked = [...document.querySelectorAll('#runs-table input[name="runs"]:checked')].map((i) => i.value);
  return [...offPage, ...checked];
}

function onSelectionChange() {
  const ids = selectedIds();
  setQuery('sel', ids.join(','));
  document.getElementById('selected-count').textContent = String(ids.length);
  document.getElementById('compare-button').disabled = ids.length < 2 || ids.length > 20;
}

function cellText(run, field) {
  const dot = field.indexOf('.');
  const [kind, key] = [field.slice(0, dot), field.slice(dot + 1)];
  // As the server renders it: the kept model's value (final), else the last logged one marked *.
  if (kind === 'metrics') {
    const m = run.metrics[key];
    if (!m) return fmtNum(null);
    const text = m.final !== null && m.final !== undefined ? fmtNum(m.final) : m.last === null ? fmtNum(null) : `${fmtNum(m.last)}*`;
    // A k-fold parent's standard deviation over its folds goes beside its mean.
    const s = run.metrics[`${key}.std`];
    const std = s ? (s.final ?? s.last) : null;
    return std === null || std === undefined ? text : `${text} ± ${fmtNum(std)}`;
  }
  if (kind === 'params') return fmtValue(run.params[key]);
  return run.tags[key] ?? '';
}

function updateRow(tr, run, columns) {
  const status = tr.querySelector('[data-cell="status"] span');
  status.textContent = run.status;
  status.className = `status status-${run.status}`;
  tr.querySelector('[data-cell="duration"]').textContent = fmtDuration(run.durationMs ?? Date.now() - run.startedAt);
  for (const field of columns) {
    const td = [...tr.querySelectorAll('td[data-cell]')].find((c) => c.dataset.cell === field);
    if (td) td.textContent = cellText(run, field);
  }
  if (run.status !== 'running') delete tr.dataset.live;
}

async function poll(table, columns) {
  const live = [...table.querySelectorAll('tr[data-live]')];
  if (live.length === 0) return;
  const ids = live.map((tr) => tr.dataset.run).filter((id) => /^[A-Za-z0-9_-]+$/.test(id));
  const q = new URLSearchParams({ filter: `id in (${ids.map((id) => `"${id}"`).join(', ')})`, limit: String(ids.length) });
  try {
    const res = await fetch(`/api/runs?${q}`);
    if (res.ok) {
      const { runs } = await res.json();
      for (const run of runs) {
        const tr = live.find((t) => t.dataset.run === run.id);
        if (tr) updateRow(tr, run, columns);
      }
    }
  } finally {
    setTimeout(() => poll(table, columns), POLL_MS);
  }
}

/** Wires the runs page if present. */
export function initRunsTable() {
  const table = document.getElementById('runs-table');
  if (!table) return;
  table.addEventListener('change', (e) => {
    if (e.target.matches('input[name="runs"]')) onSelectionChange();
  });
  const columns = JSON.parse(table.dataset.columns || '[]');
  setTimeout(() => poll(table, columns), POLL_MS);
}
