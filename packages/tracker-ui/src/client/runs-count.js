/* global document, location, URL, fetch */
// The runs pager's exact total: the page is served with a bounded one ("1–50 of 1,000+") so it shows at once, and
// this asks /api/runs/count for the exact number after it is shown, then fills in the page count and the last page.

const count = (n) => n.toLocaleString('en-US');

/** Fills the pager in from the exact total. */
function fill(nav, total) {
  const { first, last, page, limit } = nav.dataset;
  const pages = Math.max(1, Math.ceil(total / Number(limit)));
  document.getElementById('pager-range').textContent = `${count(Number(first))}–${count(Number(last))} of ${count(total)} (page ${page} of ${count(pages)})`;
  if (Number(page) < pages && !document.getElementById('pager-last')) {
    const url = new URL(location.href);
    url.searchParams.set('page', String(pages));
    const a = document.createElement('a');
    a.id = 'pager-last';
    a.href = `${url.pathname}${url.search}`;
    a.textContent = `Last (${count(pages)}) »`;
    nav.append(a);
  }
  nav.dataset.total = String(total);
}

/** Wires the runs pager if its total is bounded. */
export async function initRunsCount() {
  const nav = document.querySelector('nav.pager[data-count-url]');
  if (!nav) return;
  try {
    const res = await fetch(nav.dataset.countUrl);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const { total } = await res.json();
    fill(nav, total);
  } catch (err) {
    // the bounded total stays; the pager still pages with next and previous
    nav.dataset.countError = String(err && err.message ? err.message : err);
  }
}
