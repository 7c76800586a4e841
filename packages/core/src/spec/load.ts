import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { KilnError } from '../errors.ts';
import { runChecks } from './checks.ts';
import { runWarnings } from './warnings.ts';
import { canonicalize, fillDefaults, type SchemaNode } from './defaults.ts';
import { applyOverrides, parseOverride, type Override } from './overrides.ts';
import { formatPath, getAt, parsePath, type PathSegments } from './path.ts';
import { Pipeline, type PipelineSpec } from './schema/pipeline.ts';
import { validate as validatePipeline } from './generated/pipeline-validator.js';
import { validateAgainst, type SchemaProblem } from './validate.ts';
import { nonFinite } from './finite.ts';
import { decodeUtf8, describeBadByte } from './utf8.ts';
import { locate, parseYaml, toValue, type SourceDoc } from './yaml.ts';

const SCHEMA = Pipeline as unknown as SchemaNode;

/** A validated pipeline: defaults filled, overrides applied, keys in canonical order, and its hash. */
export interface ResolvedPipeline {
  spec: PipelineSpec;
  /** sha256 of the canonical JSON of `spec`: equal configs hash equally, whatever the YAML looked like. */
  hash: string;
  /** The original YAML text, as written. */
  yaml: string;
  file: string;
  baseDir: string;
  overrides: string[];
}

/** A valid pipeline comes with its warnings (what will happen that the file may not mean; never fatal), an invalid one with its errors. */
export type LoadResult = { ok: true; pipeline: ResolvedPipeline; warnings: KilnError[] } | { ok: false; errors: KilnError[] };

/** Loads options: `--set` overrides as written on the command line. */
export interface LoadOptions {
  overrides?: string[];
}

/** Reads, parses, overrides, fills defaults, validates and cross-checks a pipeline file, in that order. */
export function loadPipelineFile(file: string, opts: LoadOptions = {}): LoadResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, errors: [{ code: 'spec/file-not-found', path: '', file, message: code === 'ENOENT' ? 'file not found' : `cannot read the file (${code})`, hint: `check the path; it is resolved from ${process.cwd()}` }] };
  }
  const decoded = decodeUtf8(bytes);
  if ('bad' in decoded)
    return { ok: false, errors: [{ code: 'spec/not-utf8', path: '', file, line: decoded.bad.line, col: decoded.bad.col, message: describeBadByte(decoded.bad), hint: 'save the file as UTF-8' }] };
  return loadPipelineText(file, decoded.text, opts);
}

/** Same as loadPipelineFile, for YAML text already in memory. */
export function loadPipelineText(file: string, text: string, opts: LoadOptions = {}): LoadResult {
  const { source, errors: syntax } = parseYaml(file, text);
  if (syntax.length > 0) return { ok: false, errors: syntax };
  const js = toValue(source);
  if ('error' in js) return { ok: false, errors: [js.error] };
  const parsed = js.value;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return { ok: false, errors: [{ code: 'spec/not-a-mapping', path: '', file, line: 1, col: 1, message: 'a pipeline file must be a mapping of sections (name, data, model, train, ...)', hint: 'see pipelines/penguins-mlp.yaml for a complete example' }] };

  const overrides: Override[] = [];
  const errors: KilnError[] = [];
  for (const raw of opts.overrides ?? []) {
    const o = parseOverride(raw);
    if ('segments' in o) overrides.push(o);
    else errors.push(o);
  }
  const applied = applyOverrides(SCHEMA, parsed, overrides);
  errors.push(...applied.errors);
  if (errors.length > 0) return { ok: false, errors };

  const baseDir = dirname(resolve(file));
  const place = (p: SchemaProblem) => locateProblem(p, source, overrides);
  const infinite = nonFinite(applied.spec);
  if (infinite.length > 0) return { ok: false, errors: inReadingOrder(infinite.map(place), overrides) };
  const filled = fillDefaults(SCHEMA, applied.spec);
  const schemaProblems = validateAgainst(SCHEMA, validatePipeline, filled);
  if (schemaProblems.length > 0) return { ok: false, errors: inReadingOrder(schemaProblems.map(place), overrides) };

  const spec = filled as PipelineSpec;
  const validateValueAt = (segments: PathSegments, value: unknown, given: Array<[PathSegments, unknown]> = []) => validateCandidate(applied.spec, segments, value, given);
  const checkProblems = runChecks(spec, { baseDir, validateValueAt, raw: applied.spec });
  if (checkProblems.length > 0) return { ok: false, errors: inReadingOrder(checkProblems.map(place), overrides) };

  const warnings = inReadingOrder(runWarnings(spec).map(place), overrides);
  const canonical = canonicalize(SCHEMA, spec) as PipelineSpec;
  return { ok: true, warnings, pipeline: { spec: canonical, hash: hashConfig(canonical), yaml: text, file, baseDir, overrides: opts.overrides ?? [] } };
}

/** Stable hash of a resolved config. */
export function hashConfig(spec: unknown): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex');
}

/** Validates the spec with one field replaced, e.g. a sweep candidate, reporting only problems at that field; `given` fields are set first (a conditional parameter's conditions). */
function validateCandidate(raw: unknown, segments: PathSegments, value: unknown, given: Array<[PathSegments, unknown]> = []): SchemaProblem[] {
  const parent = getAt(raw, segments.slice(0, -1));
  const last = segments.at(-1);
  const missing = (msg: string): SchemaProblem[] => [{ code: 'spec/no-such-path', path: formatPath(segments), segments, at: 'value', message: msg, hint: 'a sweep parameter must name a field of this spec' }];
  if (last === undefined) return missing('an empty path names no field of this spec');
  if (parent === null || typeof parent !== 'object') return missing(`${formatPath(segments.slice(0, -1))} does not exist in this spec`);
  if (Array.isArray(parent) && (typeof last !== 'number' || last >= parent.length)) return missing(`${formatPath(segments)} does not exist (the list has ${parent.length} entries)`);
  const set = [...given.map(([g, v]) => ({ raw: '', segments: g, path: formatPath(g), value: v })), { raw: '', segments, path: formatPath(segments), value }];
  const { spec } = applyOverrides(SCHEMA, raw, set);
  const target = formatPath(segments);
  return validateAgainst(SCHEMA, validatePipeline, fillDefaults(SCHEMA, spec)).filter((p) => p.path === target || p.path.startsWith(`${target}.`) || p.path.startsWith(`${target}[`));
}

function locateProblem(p: SchemaProblem, source: SourceDoc, overrides: Override[]): KilnError {
  const { segments, at, ...error } = p;
  const override = overrides.find((o) => p.path === o.path || p.path.startsWith(`${o.path}.`) || p.path.startsWith(`${o.path}[`));
  if (override) return { ...error, file: `--set ${override.raw}` };
  return { ...error, file: source.file, ...locate(source, segments, at) };
}

/** Errors in the file by line and column, then errors in overrides in the order they were given. */
function inReadingOrder(errors: KilnError[], overrides: Override[]): KilnError[] {
  const rank = (e: KilnError) => {
    const o = overrides.findIndex((x) => e.file === `--set ${x.raw}`);
    return o >= 0 ? 1e12 + o : (e.line ?? 0) * 1e4 + (e.col ?? 0);
  };
  return [...errors].sort((a, b) => rank(a) - rank(b));
}

/**
 * Places errors found after loading (data, model) in the pipeline file: an error whose path names
 * a spec field gets that field's file:line:col. Errors that already have a place keep it.
 */
export function locateInPipeline(pipeline: Pick<ResolvedPipeline, 'file' | 'yaml'> & { overrides?: string[] }, errors: KilnError[]): KilnError[] {
  const { source } = parseYaml(pipeline.file, pipeline.yaml);
  // A field set on the command line is located at its --set, as validation does.
  const overrides = (pipeline.overrides ?? []).map(parseOverride).filter((o): o is Override => 'segments' in o);
  return errors.map((e) => {
    if (e.file !== undefined || e.path === '') return e;
    const override = overrides.find((o) => e.path === o.path || e.path.startsWith(`${o.path}.`) || e.path.startsWith(`${o.path}[`));
    if (override) return { ...e, file: `--set ${override.raw}` };
    const segments = parsePath(e.path);
    return segments ? { ...e, file: pipeline.file, ...locate(source, segments) } : e;
  });
}
