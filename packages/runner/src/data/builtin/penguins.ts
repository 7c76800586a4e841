import type { OpenedSource } from '../sources/types.ts';
import { tableFromRows } from '../table.ts';
import { builtinHash, dataPackage } from './resolve.ts';
import { VEGA, vegaRecords } from './vega.ts';

const COLUMNS = ['Species', 'Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex'];

/** vega penguins without rows missing any value and without the Sex == "." row: 333 rows, as palmerpenguins' na.omit. */
export async function openPenguins(): Promise<OpenedSource> {
  return {
    hash: builtinHash('penguins:' + VEGA, dataPackage(VEGA), 1),
    load: async () => {
      const recs = await vegaRecords('penguins.json');
      const keep = recs.filter((r) => COLUMNS.every((c) => r[c] !== null && r[c] !== undefined) && (r.Sex === 'MALE' || r.Sex === 'FEMALE'));
      return tableFromRows(keep.map((r) => Object.fromEntries(COLUMNS.map((c) => [c, r[c]]))), COLUMNS);
    },
  };
}
