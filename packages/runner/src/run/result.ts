/** What a training run returns to its caller (the CLI, a sweep, a test). */
import type { HeadClassReport } from '../train/class-report.ts';

export type RunStatus = 'finished' | 'failed' | 'pruned' | 'killed';

export interface RunResult {
  runId: string;
  status: RunStatus;
  reason?: string;
  /** 1-based epoch with the best value of `monitor`. */
  bestEpoch: number;
  /** The metric bestEpoch is best at (earlyStopping's, else checkpoint's, else val.loss / train.loss). */
  monitor: string;
  /** 1-based epoch whose weights the run kept (saved, and evaluated on test): bestEpoch when restored, else the last; absent when no model was kept (failed, killed). */
  keptEpoch?: number;
  /** Whether the best epoch's weights were restored at the end (earlyStopping.restoreBestWeights). */
  restored: boolean;
  /** Epochs completed. */
  epochs: number;
  /** Wall time of the training loop. */
  seconds: number;
  /** Wall time of each epoch (training steps + train/val metrics). */
  epochSeconds: number[];
  /** Problems that did not fail the run (a diverging loss under train.divergence action warn); also the run's kiln.warning tag. */
  warnings?: string[];
  /** train/val: the kept epoch's (the last epoch's when none was kept); test: the kept model on the test split. */
  metrics: { train: Record<string, number>; val: Record<string, number>; test: Record<string, number> };
  /** Test confusion matrix for classification targets (rows: true class, columns: predicted). */
  confusion?: number[][];
  /** Per classification head, precision/recall/F1/support per class on the test split (also the run's class-report.json). */
  classReports?: HeadClassReport[];
  /** Folder holding the run's artifacts (model.json, weights.bin, preprocess.json, ...). */
  artifactsDir: string;
  /** A k-fold parent's folds (data.split.folds); its `metrics` are then the folds' means, with `<name>.std` beside each. */
  folds?: FoldOutcome[];
}

/** One fold of a k-fold parent: its child run and that run's kept values. */
export interface FoldOutcome {
  fold: number;
  runId: string;
  status: RunStatus;
  reason?: string;
  metrics: RunResult['metrics'];
}
