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

/** model.from.model: the registered version (and alias) the parent was when this run started, linked to the model's page. */
function FromModel(props: { tags: Record<string, string> }) {
  const ref = props.tags['kiln.from_model'];
  const at = ref === undefined ? -1 : ref.lastIndexOf('@');
  if (ref === undefined || at < 0) return null;
  const alias = props.tags['kiln.from_alias'];
  return (
    <span id="from-model">
      {' '}
      as model <a href={`/models/${encodeURIComponent(ref.slice(0, at))}#v${encodeURIComponent(ref.slice(at + 1))}`}>{ref}</a>
      {alias === undefined ? '' : ` (alias ${alias})`}
    </span>
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
          <FromModel tags={props.run.tags} />
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
