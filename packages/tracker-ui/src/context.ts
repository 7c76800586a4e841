/** What every feature's routes need: the open store and where run artifacts live. */
import type { Store } from './data/store.ts';

export interface UiContext {
  store: Store;
  /** Root folder holding `<run-id>/<file>` artifact folders. */
  artifactsRoot: string;
}
