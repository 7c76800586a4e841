import type { OpenedSource } from '../sources/types.ts';
import { tableFromRows } from '../table.ts';
import { builtinHash, dataPackage } from './resolve.ts';
import { VEGA, vegaRecords } from './vega.ts';

const COLUMNS = ['Name', 'Miles_per_Gallon', 'Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Year', 'Origin'];

/** vega cars without rows missing a value (Miles_per_Gallon, Horsepower): 392 rows; Year "1970-01-01" -> 1970. */
export async function openCars(): Promise<OpenedSource> {
  return {
    hash: builtinHash('cars:' + VEGA, dataPackage(VEGA), 1),
    load: async () => {
      const recs = await vegaRecords('cars.json');
      const keep = recs.filter((r) => COLUMNS.every((c) => r[c] !== null && r[c] !== undefined));
      const rows = keep.map((r) => Object.fromEntries(COLUMNS.map((c) => [c, c === 'Year' ? Number(String(r.Year).slice(0, 4)) : r[c]])));
      return tableFromRows(rows, COLUMNS);
    },
  };
}
