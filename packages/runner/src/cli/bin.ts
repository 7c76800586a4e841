import { main } from './main.ts';

// Piped stdout/stderr are asynchronous in Node: past the pipe's 64 KB buffer the rest waits in
// memory, and the process.exit below would cut it off (`kiln schema | jq` got 64 KB of 226 KB when
// the reader was slow). Blocking writes, as for files and terminals, make every write complete
// before the next line runs (nodejs/node#6456).
for (const stream of [process.stdout, process.stderr]) {
  (stream as unknown as { _handle?: { setBlocking?: (on: boolean) => void } })._handle?.setBlocking?.(true);
}

// Explicit exit: tfjs and the store can hold handles open after the work is done.
process.exit(await main(process.argv.slice(2)));
