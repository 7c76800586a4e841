/** Small pieces the models pages share. */
import type { ModelVersion } from '../data/store.ts';
import { fmtNum } from '../util/format.ts';

/** The value a listing shows for a version: its monitored metric's final value, labelled. */
export function headline(v: ModelVersion): string {
  const key = v.monitor ?? Object.keys(v.metrics)[0];
  const m = key === undefined ? undefined : v.metrics[key];
  return key === undefined || m === undefined ? '' : `${key} ${fmtNum(m.final)}`;
}

/** Aliases as tags: `production → 3`. */
export function Aliases(props: { aliases: [string, number][] }) {
  return (
    <>
      {props.aliases.map(([alias, version]) => (
        <span class="alias" title={`${alias} points at version ${version}`}>
          {alias} → {version}{' '}
        </span>
      ))}
    </>
  );
}
