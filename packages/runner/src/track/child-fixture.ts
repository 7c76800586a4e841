/**
 * A user's script for the process tests (process.test.ts): `tsx child-fixture.ts MODE` with KILN_STORE
 * set. Every mode logs loss at steps 1-3 and flushes them, then logs steps 4-5 into the buffer only.
 *   interrupt: prints "ready" and waits for a signal.   throw: throws at the top level.
 *   forget:    returns without run.end().               kill9: prints "ready" and waits for kill -9.
 *   two:       a second run beside the first, with 40,000 buffered points, then as interrupt.
 */
import { startRun } from '../index.ts';

const mode = process.argv[2];
const run = await startRun({ experiment: 'child', name: `child-${mode}`, params: { mode } });
run.log({ loss: 1 }, { step: 1 });
run.log({ loss: 0.9 }, { step: 2 });
run.log({ loss: 0.8 }, { step: 3 });
await run.flush();
run.log({ loss: 0.7 }, { step: 4 });
run.log({ loss: 0.6 }, { step: 5 });
process.stdout.write(`run ${run.id}\n`);
if (mode === 'two') {
  const second = await startRun({ experiment: 'child', name: 'child-second', params: { mode } });
  // Many buffered points make this run's end slower than the first's, as a run with a big buffer would be.
  for (let step = 1; step <= 40_000; step++) second.log({ loss: 2 }, { step });
  process.stdout.write(`second ${second.id}\n`);
}
if (mode === 'throw') throw new Error('boom in user code');
if (mode === 'interrupt' || mode === 'kill9' || mode === 'two') {
  process.stdout.write('ready\n');
  setInterval(() => undefined, 1000); // stays alive until signalled
}
