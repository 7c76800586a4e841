/* global document, location, history, URL, matchMedia, HTMLElement, MutationObserver */
// Page-wide behaviour: the curve charts' x axis switch, `/` to the runs filter, titles on cut-off cells, theme changes.
import { followWidth } from './charts.js';
import { color } from './series.js';
import { X_MODES } from './x-modes.js';

const redrawCurves = () => document.querySelectorAll('[data-chart="lines"]').forEach((el) => el._redraw && el._redraw());
const redrawAll = () => document.querySelectorAll('[data-chart]').forEach((el) => el._redraw && el._redraw());

/** The x axis switch (step, epoch, wall time) starts from ?xaxis= and keeps its choice there. */
export function initXAxis() {
  const sel = document.getElementById('xaxis');
  if (!sel) return;
  const wanted = new URL(location.href).searchParams.get('xaxis');
  if (wanted && Object.hasOwn(X_MODES, wanted)) sel.value = wanted;
  sel.addEventListener('change', () => {
    const url = new URL(location.href);
    if (sel.value === 'step') url.searchParams.delete('xaxis');
    else url.searchParams.set('xaxis', sel.value);
    history.replaceState(null, '', url);
    redrawCurves();
  });
}

const typing = (t) => t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

/** `/` focuses the runs filter, as in GitHub and W&B; not while typing in a field. */
export function initKeys() {
  document.addEventListener('keydown', (e) => {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    const filter = document.getElementById('filter');
    if (!filter) return;
    e.preventDefault();
    filter.focus();
    filter.select();
  });
}

function paint() {
  for (const el of document.querySelectorAll('[data-color-index]:not([data-painted])')) {
    el.style.backgroundColor = color(Number(el.dataset.colorIndex));
    el.dataset.painted = 'true';
  }
}

/** Colour swatches beside run names (compare tables) take the run's chart colour, in tables live.js swaps in too. */
export function paintSwatches() {
  paint();
  const main = document.querySelector('main');
  if (main && document.querySelector('[data-color-index]')) new MutationObserver(paint).observe(main, { childList: true, subtree: true });
}

/** Table cells cut with an ellipsis get their full text as a title, so the rest is one hover away. */
export function titleCutCells(root = document) {
  for (const td of root.querySelectorAll('table.grid td, table.grid th')) {
    if (td.scrollWidth > td.clientWidth + 1 && !td.title) td.title = td.textContent.trim();
  }
}

/** Charts follow their box's width (those live.js swaps in too) and redraw with the theme's colours when the system switches light/dark. */
export function initChartsUpkeep() {
  for (const el of document.querySelectorAll('[data-chart]')) followWidth(el);
  const main = document.querySelector('main');
  if (main) new MutationObserver(() => document.querySelectorAll('[data-chart][data-drawn]').forEach(followWidth)).observe(main, { childList: true, subtree: true });
  const dark = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  if (dark) dark.addEventListener('change', redrawAll);
}
