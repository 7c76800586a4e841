/** Checks on a file store's path before SQLite sees it, so a bad path gets a message naming it and the cause. */
import { must } from '../errors.ts';
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { storeFault, StoreFault } from './faults.ts';

/** Refuses a store path that is a folder (SQLite would only say "unable to open database file"). */
export function checkStoreFile(file: string): void {
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw new StoreFault({ code: 'store/cannot-open', path: '', file, message: 'cannot open the store: this path is a folder, not a store file (EISDIR)', hint: 'point --store (or KILN_STORE) at a file inside it, e.g. kiln.db' });
  }
}

/** Makes the store's folder for a writer and checks it can take files (SQLite writes its -wal and -shm beside the store). */
export function prepareStoreFolder(file: string): void {
  const dir = dirname(file);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const fault = storeFault(err, file);
    if (fault === undefined) throw err;
    const e = must(fault.errors[0], 'a store fault carries its error');
    const what = existsSync(file) ? `cannot write beside the store in ${dir}` : `cannot create the store in ${dir}`;
    throw new StoreFault({ ...e, message: `${what}: ${e.message}` }, err);
  }
}
