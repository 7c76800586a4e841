// Process entry of the UI server. `kiln ui` parses the command line (its option table is the one
// source of the options) and starts this file with the parsed options as JSON in argv[2].
import { serveUi, type ServeOptions } from './serve.ts';

const opts = JSON.parse(process.argv[2] ?? '{}') as ServeOptions;
const server = await serveUi({ ...opts, log: (line) => process.stdout.write(`${line}\n`) });
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
