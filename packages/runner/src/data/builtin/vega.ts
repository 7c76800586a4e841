import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Row } from '../table.ts';
import { dataPackage } from './resolve.ts';

export const VEGA = 'vega-datasets';

/** The records of one vega-datasets JSON file, in file order. */
export async function vegaRecords(file: string): Promise<Row[]> {
  return JSON.parse(await readFile(join(dataPackage(VEGA).dir, 'data', file), 'utf8')) as Row[];
}
