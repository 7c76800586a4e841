// Loader hooks for record-modules.mjs; they run on the loader's own thread, hence the file.
import { appendFileSync } from 'node:fs';

let file;

/** Receives the output file from register(). */
export function initialize(data) {
  file = data.file;
}

/** Records each loaded URL, then loads it as usual. */
export async function load(url, context, nextLoad) {
  appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
}
