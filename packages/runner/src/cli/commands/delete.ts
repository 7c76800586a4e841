import { KilnFailure } from '@kiln/core/errors';
import { aliasedRefusal, deleteRunChecked, getRun, runningRefusal } from '@kiln/core/store';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { EXIT } from '../exit.ts';
import type { Args } from '../options.ts';
import { resolveRunId, withStore } from '../store.ts';

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(question);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

/** What became of a running run asked to stop before its deletion. */
function stopNote(stoppedAs: string | undefined): string {
  if (stoppedAs === undefined) return '';
  return stoppedAs === 'running' ? 'it was still running and did not stop in time; its process fails at its next write' : `it was running; it stopped first and ended ${stoppedAs}`;
}

/**
 * `kiln delete RUN...`: removes runs, their metrics and artifacts (a k-fold parent's fold runs too); asks first unless --yes. A run
 * still running is refused unless --force (then stopped first); a sweep trial that named a deleted run forgets it.
 */
export async function run(args: Args<'delete'>): Promise<number> {
  const { force, yes, wait } = args.options;
  return withStore(
    args,
    async (store) => {
      const asked = await Promise.all(args.positionals.map((p) => resolveRunId(store, p)));
      // a k-fold parent goes with its fold runs (they hold the values its mean ± std summarise)
      const withFolds = await Promise.all(asked.map(async (id) => [id, ...((await getRun(store, id))?.folds.map((f) => f.id) ?? [])]));
      const ids = [...new Set(withFolds.flat())];
      const runs = await Promise.all(ids.map((id) => getRun(store, id)));
      // refuse before deleting any, so `kiln delete a b` never stops halfway
      const running = runs.flatMap((r) => (r?.status === 'running' ? [r.id] : []));
      if (running.length > 0 && !force) throw new KilnFailure(runningRefusal(running));
      const aliased = force ? undefined : await aliasedRefusal(store, ids);
      if (aliased !== undefined) throw new KilnFailure(aliased);
      if (!yes) {
        const names = runs.map((r) => `${r?.id} (${r?.name}, ${r?.status})`);
        if (!(await confirm(`Delete ${names.join(', ')} with all metrics and artifacts? [y/N] `))) {
          process.stderr.write('nothing deleted (pass --yes to delete without asking)\n');
          return EXIT.failed;
        }
      }
      for (const id of ids) {
        const result = await deleteRunChecked(store, id, { force, waitMs: wait * 1000 });
        rmSync(join(store.artifactsDir, id), { recursive: true, force: true });
        const freed = result.blobsFreed.blobs > 0 ? `${result.blobsFreed.bytes} bytes of artifacts freed in the store` : '';
        const notes = [stopNote(result.stoppedAs), result.trialsDetached > 0 ? `its sweep trial no longer names a run` : '', freed].filter(Boolean);
        process.stdout.write(`deleted ${id}${notes.length ? ` (${notes.join('; ')})` : ''}\n`);
      }
      return EXIT.ok;
    },
    'write',
  );
}
