/* global document, location, history, URL */
// Entry module: draws every [data-chart] placeholder and wires page controls. No inline script anywhere.
import { drawLines, drawXY } from './charts.js';
import { drawBars, drawParcoords } from './svg-charts.js';
import { drawBands } from './bands.js';
import { readSpec } from './series.js';
import { initRunsTable } from './runs-table.js';
import { initRunsCount } from './runs-count.js';
import { initTimes } from './times.js';
import { initLive } from './live.js';
import { initChartsUpkeep, initKeys, initXAxis, paintSwatches, titleCutCells } from './page-ui.js';

const DRAW = { lines: drawLines, xy: drawXY, parcoords: drawParcoords, bars: drawBars, bands: drawBands };

/** Draws one chart and records the outcome on the element for tests and styling. */
async function draw(el) {
  try {
    const n = await DRAW[el.dataset.chart](el, readSpec(el));
    el.dataset.seriesCount = String(n);
    el.dataset.drawn = 'true';
  } catch (err) {
    el.dataset.error = String(err && err.message ? err.message : err);
    el.textContent = `Chart failed: ${el.dataset.error}`;
  }
}

function setQuery(name, value) {
  const url = new URL(location.href);
  if (value === '' || value === null) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  history.replaceState(null, '', url);
}

/** Smoothing and log scale redraw curves in place; hide-equal toggles a class; selects submit. */
function initCompareControls() {
  const redraw = () => document.querySelectorAll('[data-chart="lines"]').forEach((el) => el._redraw && el._redraw());
  const smoothing = document.getElementById('smoothing');
  if (smoothing) smoothing.addEventListener('input', () => { setQuery('smooth', smoothing.value === '0' ? '' : smoothing.value); redraw(); });
  const log = document.getElementById('logscale');
  if (log) log.addEventListener('change', () => { setQuery('log', log.checked ? '1' : ''); redraw(); });
  const hide = document.getElementById('hide-equal');
  const table = document.getElementById('param-table');
  if (hide && table) hide.addEventListener('change', () => { setQuery('hideEqual', hide.checked ? '' : '0'); table.classList.toggle('hide-equal', hide.checked); });
  for (const sel of document.querySelectorAll('select[data-autosubmit]')) sel.addEventListener('change', () => sel.form.requestSubmit());
}

async function main() {
  initRunsTable();
  initRunsCount();
  initTimes();
  initCompareControls();
  initKeys();
  initXAxis();
  titleCutCells();
  paintSwatches();
  await Promise.all([...document.querySelectorAll('[data-chart]')].map(draw));
  initChartsUpkeep();
  document.body.dataset.chartsDone = 'true';
  initLive(draw);
}

main();
