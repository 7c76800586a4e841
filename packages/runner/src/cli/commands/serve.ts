import { resolve } from 'node:path';
import { watchLauncher } from '@kiln/core/store';
import { EXIT, usageError } from '../exit.ts';
import type { Args } from '../options.ts';

/** A whole number within [min, max] or a located usage error naming the option. */
function checkNumber(option: string, value: number, min: number, max: number, integer = true): number {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value)))
    throw usageError('cli/bad-option', `--${option}`, `--${option} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${value}`);
  return value;
}

/** `kiln serve RUN|NAME@ALIAS`: serve the model over HTTP until Ctrl-C or SIGTERM, then close gracefully. */
export async function run(args: Args<'serve'>): Promise<number> {
  const [ref] = args.positionals;
  if (!ref) throw usageError('cli/missing-argument', '', 'kiln serve needs a run id or a registered model (NAME@ALIAS, NAME@VERSION, NAME)', 'kiln serve penguins@production, or kiln serve 1a2b3c');
  const o = args.options;
  const tokenFile = o['token-file'];
  const { serveModel } = await import('../../serve/server.ts');
  const served = await serveModel({
    ref,
    ...(o.store === undefined ? {} : { store: o.store }),
    host: o.host,
    port: checkNumber('port', o.port, 0, 65535),
    maxBatch: checkNumber('max-batch', o['max-batch'], 1, 100_000),
    batchWaitMs: checkNumber('batch-wait-ms', o['batch-wait-ms'], 0, 10_000, false),
    reloadSeconds: checkNumber('reload-seconds', o['reload-seconds'], 0, 86_400, false),
    strict: o.strict === true,
    maxBodyBytes: Math.round(checkNumber('max-body-mb', o['max-body-mb'], 0.001, 1024, false) * 1024 * 1024),
    ...(tokenFile === undefined ? {} : { tokenFile: resolve(tokenFile) }),
  });
  const { info } = served.current();
  const what = info.model ? `${info.model.name} version ${info.model.version}${info.model.alias ? ` (alias ${info.model.alias})` : ''}, run ${info.runId}` : `run ${info.runId}`;
  console.log(`kiln serve: ${what} on ${served.url} (POST /predict, GET /health, GET /schema)`);
  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
    // pnpm/npm die on SIGTERM without passing it on: an orphaned server would go on serving.
    watchLauncher(() => done('SIGTERM'));
  });
  console.log(`kiln serve: ${signal}, finishing the requests in flight`);
  await served.close();
  return EXIT.ok;
}
