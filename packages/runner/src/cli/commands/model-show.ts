/** `kiln model ls` and `kiln model show`: what the registry holds, as tables or JSON. */
import { listModels, modelAliasMap, parseModelRef, requireModelVersions, resolveModelRef, type ModelVersion } from '@kiln/core/store';
import { fmtNum, fmtTime } from '../../terminal/format.ts';
import { renderTable } from '../../terminal/table.ts';
import { EXIT, usageError } from '../exit.ts';
import { withStore } from '../store.ts';
import type { ModelArgs } from './model.ts';

/** The value a listing shows for a version: its monitored metric's final value, labelled. */
export function headline(v: ModelVersion): string {
  const key = v.monitor ?? Object.keys(v.metrics)[0];
  const m = key === undefined ? undefined : v.metrics[key];
  return key === undefined || m === undefined ? '' : `${key} ${fmtNum(m.final)}`;
}

const aliasList = (aliases: Record<string, number>) =>
  Object.entries(aliases)
    .map(([a, v]) => `${a}=${v}`)
    .join(', ');

/** `kiln model ls`: every model, its latest version, aliases and headline metric. */
export async function ls(args: ModelArgs): Promise<number> {
  if (args.positionals.length > 1) throw usageError('cli/extra-argument', '', `kiln model ls takes no arguments, got "${args.positionals[1] ?? ''}"`, 'kiln model show NAME shows one model');
  const models = await withStore(args, (store) => listModels(store));
  if (args.options.json) {
    process.stdout.write(`${JSON.stringify({ models }, null, 2)}\n`);
    return EXIT.ok;
  }
  if (models.length === 0) {
    process.stdout.write('no registered models (kiln model register RUN --name NAME adds one)\n');
    return EXIT.ok;
  }
  const rows = models.map((m) => [m.name, String(m.latest.version), String(m.versions), aliasList(m.aliases), headline(m.latest), m.latest.runId, fmtTime(m.latest.createdAt)]);
  process.stdout.write(`${renderTable(['name', 'latest', 'versions', 'aliases', 'metric (latest)', 'run', 'registered'], rows, 60)}\n`);
  return EXIT.ok;
}

/** Every metric key of the versions, monitored ones first: the columns of the versions table. */
function metricColumns(versions: ModelVersion[]): string[] {
  const monitored = new Set(versions.flatMap((v) => (v.monitor ? [v.monitor] : [])));
  const rest = new Set(versions.flatMap((v) => Object.keys(v.metrics)).filter((k) => !monitored.has(k)));
  return [...monitored, ...[...rest].sort()];
}

function versionsTable(versions: ModelVersion[]): string {
  const keys = metricColumns(versions);
  const rows = versions.map((v) => [String(v.version), v.aliases.join(', '), v.runId, fmtTime(v.createdAt), v.createdBy ?? '', ...keys.map((k) => fmtNum(v.metrics[k]?.final)), v.description ?? '']);
  return renderTable(['version', 'aliases', 'run', 'registered', 'by', ...keys, 'description'], rows, 50);
}

function versionDetail(v: ModelVersion): string {
  const lines = [
    `model     ${v.name} version ${v.version}${v.aliases.length > 0 ? `  (aliases: ${v.aliases.join(', ')})` : ''}`,
    `run       ${v.runId}   (kiln show ${v.runId}; /runs/${v.runId} in kiln ui)`,
    `registered ${fmtTime(v.createdAt)}${v.createdBy ? ` by ${v.createdBy}` : ''}`,
    `config    ${v.configHash.slice(0, 12)}   data ${(v.dataFingerprint ?? '').slice(0, 12)}`,
  ];
  if (v.description) lines.push(`about     ${v.description}`);
  const tags = Object.entries(v.tags);
  if (tags.length > 0) lines.push(`tags      ${tags.map(([k, val]) => `${k}=${val}`).join(', ')}`);
  const rows = Object.entries(v.metrics).map(([k, m]) => [k === v.monitor ? `${k} (monitored)` : k, fmtNum(m.final), fmtNum(m.best)]);
  if (rows.length > 0) lines.push('', renderTable(['metric', 'final', 'best'], rows, 60));
  return lines.join('\n');
}

/** `kiln model show NAME` (every version) or `NAME@VERSION` / `NAME@ALIAS` (one version in full). */
export async function show(args: ModelArgs): Promise<number> {
  const [, ref, extra] = args.positionals;
  if (ref === undefined) throw usageError('cli/missing-argument', '', 'kiln model show needs a model name', 'kiln model show penguins (kiln model ls lists them)');
  if (extra !== undefined) throw usageError('cli/extra-argument', '', `kiln model show takes one model, got also "${extra}"`, 'kiln model show penguins@production');
  const { name, selector } = parseModelRef(ref);
  const found = await withStore(args, async (store) => {
    const versions = await requireModelVersions(store, name, 'NAME');
    const resolved = selector === null ? undefined : await resolveModelRef(store, ref, 'NAME');
    const one = resolved === undefined ? undefined : versions.find((v) => v.version === resolved.model?.version);
    return { versions, aliases: Object.fromEntries(await modelAliasMap(store, name)), one };
  });
  if (found.one !== undefined) {
    process.stdout.write(args.options.json ? `${JSON.stringify(found.one, null, 2)}\n` : `${versionDetail(found.one)}\n`);
    return EXIT.ok;
  }
  if (args.options.json) {
    process.stdout.write(`${JSON.stringify({ name, aliases: found.aliases, versions: found.versions }, null, 2)}\n`);
    return EXIT.ok;
  }
  const head = `model ${name}: ${found.versions.length} version${found.versions.length === 1 ? '' : 's'}${Object.keys(found.aliases).length > 0 ? `, aliases ${aliasList(found.aliases)}` : ''}`;
  process.stdout.write(`${head}\n\n${versionsTable(found.versions)}\n`);
  return EXIT.ok;
}
