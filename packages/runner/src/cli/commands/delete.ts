import { deleteRun, getRun } from '@kiln/core';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { EXIT } from '../main.ts';
import type { ParsedArgs } from '../options.ts';
import { resolveRunId, withStore } from '../store.ts';

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(question);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

/** `kiln delete RUN...`: removes runs, their metrics and artifacts; asks first unless --yes. */
export async function run(args: ParsedArgs): Promise<number> {
  if (args.positionals.length === 0) throw new Error('kiln delete needs at least one run id');
  return withStore(args, async (store) => {
    const ids = await Promise.all(args.positionals.map((p) => resolveRunId(store, p)));
    if (!args.options.yes) {
      const names = (await Promise.all(ids.map((id) => getRun(store, id)))).map((r) => `${r?.id} (${r?.name}, ${r?.status})`);
      if (!(await confirm(`Delete ${names.join(', ')} with all metrics and artifacts? [y/N] `))) {
        process.stderr.write('nothing deleted (pass --yes to delete without asking)\n');
        return EXIT.failed;
      }
    }
    for (const id of ids) {
      await deleteRun(store, id);
      rmSync(join(store.artifactsDir, id), { recursive: true, force: true });
      process.stdout.write(`deleted ${id}\n`);
    }
    return EXIT.ok;
  });
}
