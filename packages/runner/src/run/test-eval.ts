/** The final evaluation on the test split: per-head metrics logged as test.*, and a confusion matrix per classification head. */
import { must } from '@kiln/core/errors';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { RunHandle } from '@kiln/core/store';
import { dataTargets } from '../data/inputs.ts';
import type { PreparedData } from '../data/types.ts';
import type { InputSpec } from '../train/batches.ts';
import { evaluateHeads } from '../train/evaluate.ts';
import { splitMetrics, type LoopHead } from '../train/heads.ts';
import { headClassReport, type HeadClassReport } from '../train/class-report.ts';
import { confusionMatrix } from '../train/metrics.ts';
import { logClassReports, logConfusion } from './artifacts.ts';

export interface TestEvalOptions {
  model: LayersModel;
  data: PreparedData;
  heads: LoopHead[];
  inputs: InputSpec[];
  run: RunHandle;
  workDir: string;
  step: number;
  epoch: number;
}

/** Evaluates the final model on the test split and records the metrics and confusion matrices; returns the test metrics and the first head's matrix. */
export async function evaluateTest({ model, data, heads, inputs, run, workDir, step, epoch }: TestEvalOptions): Promise<{ test: Record<string, number>; confusion?: number[][]; classReports?: HeadClassReport[] }> {
  const result = evaluateHeads(model, data.test, inputs, heads);
  const targets = dataTargets(data);
  const test = splitMetrics(heads, result.loss, result.heads);
  const matrices = heads.flatMap((h, k) =>
    h.task === 'regression'
      ? []
      : [{ output: h.prefix.slice(0, -1), matrix: confusionMatrix(must(result.heads[k], 'one evaluation per head').predictions), classes: targets[h.target]?.classes ?? [] }],
  );
  // In head order; the first classification head keeps the plain confusion.json name, the others are named after their output.
  for (const [i, m] of matrices.entries()) await logConfusion(run, m.matrix, m.classes, workDir, m.output || undefined, i === 0);
  const confusion = matrices[0]?.matrix;
  const classReports = matrices.map((m) => headClassReport(m.matrix, m.classes, m.output || undefined));
  if (classReports.length > 0) await logClassReports(run, classReports, workDir);
  run.logMetrics(Object.entries(test).map(([key, value]) => ({ key: `test.${key}`, step, epoch, value })));
  return { test, ...(confusion ? { confusion, classReports } : {}) };
}
