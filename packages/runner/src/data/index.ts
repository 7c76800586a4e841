/** The data stage's public API: prepare a pipeline's data, and re-apply its fitted preprocessing at predict time. */
export { prepareData, prepareTable, type PrepareOptions } from './prepare.ts';
export { transformRows } from './transform.ts';
export type { SplitIndices } from './split.ts';
export type { Row, Table } from './table.ts';
export type * from './types.ts';
