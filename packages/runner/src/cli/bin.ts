import { main } from './main.ts';

// Explicit exit: tfjs and the store can hold handles open after the work is done. Writes to
// pipes and files are synchronous on Linux, so nothing printed is lost.
process.exit(await main(process.argv.slice(2)));
