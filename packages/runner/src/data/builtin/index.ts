import type { SourceSpec } from '@kiln/core';
import type { OpenedSource } from '../sources/types.ts';
import { openCars } from './cars.ts';
import { openMnist } from './mnist.ts';
import { openPenguins } from './penguins.ts';
import { openSpam } from './spam.ts';

type BuiltinName = Extract<SourceSpec, { type: 'builtin' }>['name'];

/** Builtin dataset name -> opener. Rows are in the reference order (bench/reference/prepare_data.py). */
export const BUILTINS: Record<BuiltinName, () => Promise<OpenedSource>> = {
  mnist: openMnist,
  spam: openSpam,
  penguins: openPenguins,
  cars: openCars,
};
