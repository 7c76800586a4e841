import { userInfo } from 'node:os';
import { checkModelName, deleteModelAlias, parseModelRef, registerModel, resolveModelRef, setModelAlias, type Store } from '@kiln/core/store';
import { EXIT, usageError } from '../exit.ts';
import type { Args } from '../options.ts';
import { resolveRunId, withStore } from '../store.ts';
import { ls, show } from './model-show.ts';

export type ModelArgs = Args<'model'>;
type Sub = (args: ModelArgs) => Promise<number>;

/** Who registers or moves an alias, as the store records it; an unknown user (no passwd entry) is recorded as none. */
function whoAmI(): string | undefined {
  try {
    return process.env.KILN_USER ?? userInfo().username;
  } catch {
    return process.env.USER;
  }
}

function out(args: ModelArgs, json: unknown, text: string): number {
  process.stdout.write(args.options.json ? `${JSON.stringify(json, null, 2)}\n` : `${text}\n`);
  return EXIT.ok;
}

function parseTags(pairs: string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw usageError('cli/bad-tag', '--tag', `cannot read tag "${p}"`, 'write --tag key=value');
    checkModelName(p.slice(0, eq), '--tag', 'tag key');
    tags[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return tags;
}

/** `kiln model register RUN --name NAME`: the run becomes NAME's next version. */
async function register(args: ModelArgs): Promise<number> {
  const [, runArg, extra] = args.positionals;
  const { name, description, tag, force } = args.options;
  if (runArg === undefined) throw usageError('cli/missing-argument', '', 'kiln model register needs a run id', 'kiln model register 1a2b3c --name penguins');
  if (extra !== undefined) throw usageError('cli/extra-argument', '', `kiln model register takes one run id, got also "${extra}"`, 'kiln model register 1a2b3c --name penguins');
  if (name === undefined || name === '') throw usageError('cli/missing-argument', '--name', 'kiln model register needs --name: the model this run becomes a version of', `kiln model register ${runArg} --name penguins`);
  checkModelName(name, '--name');
  const tags = parseTags(tag);
  const v = await withStore(
    args,
    async (store) => registerModel(store, { runId: await resolveRunId(store, runArg), name, tags, force, createdBy: whoAmI(), ...(description !== undefined ? { description } : {}) }),
    'write',
  );
  return out(args, v, `registered run ${v.runId} as ${v.name} version ${v.version}${v.monitor && v.metrics[v.monitor] ? ` (${v.monitor} ${v.metrics[v.monitor]?.final ?? ''})` : ''}\n  kiln model alias ${v.name}@${v.version} production   to point an alias at it`);
}

/** The version `kiln model alias` points at: NAME@VERSION, or NAME@OTHER_ALIAS (the version that alias points at now). */
async function targetVersion(store: Store, ref: string): Promise<{ name: string; version: number }> {
  const { name, selector } = parseModelRef(ref);
  checkModelName(name, 'NAME@VERSION');
  if (selector === null) throw usageError('cli/bad-argument', 'NAME@VERSION', `"${ref}" names no version`, `write the version number: kiln model alias ${name}@3 production (kiln model show ${name} lists them)`);
  if (/^\d+$/.test(selector)) return { name, version: Number(selector) };
  const resolved = await resolveModelRef(store, ref, 'NAME@VERSION');
  return { name, version: resolved.model?.version ?? 0 };
}

/** `kiln model alias NAME@VERSION ALIAS` points (or moves) the alias (NAME@OTHER_ALIAS copies that one); `kiln model alias NAME ALIAS --delete` removes it. */
async function alias(args: ModelArgs): Promise<number> {
  const [, ref, aliasName, extra] = args.positionals;
  if (ref === undefined || aliasName === undefined) throw usageError('cli/missing-argument', '', 'kiln model alias needs NAME@VERSION and an alias', 'kiln model alias penguins@3 production');
  if (extra !== undefined) throw usageError('cli/extra-argument', '', `kiln model alias takes NAME@VERSION and one alias, got also "${extra}"`, 'kiln model alias penguins@3 production');
  checkModelName(aliasName, 'ALIAS', 'alias');
  if (args.options.delete) {
    const { name } = parseModelRef(ref);
    checkModelName(name, 'NAME');
    const was = await withStore(args, (store: Store) => deleteModelAlias(store, name, aliasName), 'write');
    return out(args, { name, alias: aliasName, deleted: true, version: was }, `removed ${name}@${aliasName} (it pointed at version ${was})`);
  }
  const { name, version, before } = await withStore(
    args,
    async (store: Store) => {
      const target = await targetVersion(store, ref);
      return { ...target, before: await setModelAlias(store, target.name, target.version, aliasName, whoAmI()) };
    },
    'write',
  );
  const moved = before === undefined ? 'new alias' : before === version ? 'unchanged' : `moved from version ${before}`;
  return out(args, { name, alias: aliasName, version, previous: before ?? null }, `${name}@${aliasName} -> version ${version} (${moved})`);
}

const SUBCOMMANDS: Record<string, Sub> = { register, alias, ls, show };

/** `kiln model register|alias|ls|show`: the model registry in the tracking store. */
export async function run(args: ModelArgs): Promise<number> {
  const name = args.positionals[0] ?? '';
  const sub = SUBCOMMANDS[name];
  if (sub === undefined) throw usageError('cli/bad-argument', '', `kiln model needs a subcommand: ${Object.keys(SUBCOMMANDS).join(', ')}; got "${name}"`, 'kiln model ls');
  return sub(args);
}
