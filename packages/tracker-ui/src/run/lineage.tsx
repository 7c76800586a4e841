/** Transfer-learning links on the run page: the run this one started from and the runs that started from it. */
import type { RunDetail } from './types.ts';

type Link = RunDetail['children'][number];

function RunLinkView(props: { run: Link }) {
  return (
    <>
      <a href={`/runs/${encodeURIComponent(props.run.id)}`}>{props.run.name}</a> <span class={`status status-${props.run.status}`}>{props.run.status}</span>
    </>
  );
}

/** "Parent: <link>" and a "Children" list; nothing when the run has neither. */
export function Lineage(props: { run: RunDetail }) {
  const { parent, children } = props.run;
  if (parent === null && children.length === 0) return null;
  return (
    <section id="lineage">
      <h2>Transfer learning</h2>
      {parent !== null ? (
        <p id="parent">
          Parent:{' '}
          {'deleted' in parent ? (
            <span class="muted">{parent.id} (no longer in this store)</span>
          ) : (
            <RunLinkView run={parent} />
          )}
        </p>
      ) : null}
      {children.length > 0 ? (
        <>
          <p>Children (runs that start from this one):</p>
          <ul id="children">
            {children.map((c) => (
              <li>
                <RunLinkView run={c} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
