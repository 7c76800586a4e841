/** The transfer-learning lines of `kiln show`: the run a run started from and the runs that started from it. */
import type { Lineage, RunLink } from '@kiln/core/store';

const label = (r: RunLink) => `${r.id}  ${r.name} (${r.status})`;

/** `parent` and `children` lines, aligned with show's other labels; none when the run has neither. */
export function lineageLines({ parent, children, tags }: Lineage & { tags?: Record<string, string> }): string[] {
  const out: string[] = [];
  // model.from.model: the registered version (and alias) the parent was when this run started
  const from = tags?.['kiln.from_model'];
  const version = from === undefined ? '' : `  as model ${from}${tags?.['kiln.from_alias'] ? ` (alias ${tags['kiln.from_alias']})` : ''}`;
  if (parent !== null) out.push(`parent    ${'deleted' in parent ? `${parent.id} (no longer in this store)` : label(parent)}${version}`);
  children.forEach((c, i) => out.push(`${i === 0 ? 'children  ' : '          '}${label(c)}`));
  return out;
}
