/* global document */
// Every <time datetime> shows UTC (marked); its title gives the reader's local time as well, with the zone's name.

/** Sets each <time datetime>'s title to its local time. */
export function initTimes(root = document) {
  for (const el of root.querySelectorAll('time[datetime]')) {
    const d = new Date(el.getAttribute('datetime'));
    if (Number.isNaN(d.getTime())) continue;
    el.title = `${d.toLocaleString(undefined, { timeZoneName: 'short' })} (your local time); ${el.getAttribute('datetime')}`;
  }
}
