import type { SourceSpec } from '@kiln/core';
import { BUILTINS } from '../builtin/index.ts';
import { openCsv } from './csv.ts';
import { openJson } from './json.ts';
import { openJsonl } from './jsonl.ts';
import type { OpenedSource, SourceContext } from './types.ts';

type Opener = (spec: SourceSpec, ctx: SourceContext) => Promise<OpenedSource>;

/** Source type -> opener; each returns the source hash at once and loads rows on demand. */
export const SOURCES: Record<SourceSpec['type'], Opener> = {
  csv: (s, ctx) => openCsv(s as Extract<SourceSpec, { type: 'csv' }>, ctx),
  jsonl: (s, ctx) => openJsonl(s as Extract<SourceSpec, { type: 'jsonl' }>, ctx),
  json: (s, ctx) => openJson(s as Extract<SourceSpec, { type: 'json' }>, ctx),
  builtin: (s) => BUILTINS[(s as Extract<SourceSpec, { type: 'builtin' }>).name](),
};

/** Opens the source a data spec names. */
export function openSource(spec: SourceSpec, ctx: SourceContext): Promise<OpenedSource> {
  return SOURCES[spec.type](spec, ctx);
}

export type { OpenedSource, SourceContext } from './types.ts';
