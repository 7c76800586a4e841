import { main } from './main.ts';

const code = await main(process.argv.slice(2));
// A pipe's buffer holds 64 KB; beyond that Node queues the rest and an exit would cut it off
// (`kiln schema | jq` got 64 KB of a 219 KB schema), so wait until both streams have flushed.
const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
// Explicit exit: tfjs and the store can hold handles open after the work is done.
process.exit(code);
