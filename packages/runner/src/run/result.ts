/** What a training run returns to its caller (the CLI, a sweep, a test). */
export type RunStatus = 'finished' | 'failed' | 'pruned' | 'killed';

export interface RunResult {
  runId: string;
  status: RunStatus;
  reason?: string;
  /** 1-based epoch whose weights the model ends with when they were restored, else the best monitored epoch. */
  bestEpoch: number;
  /** Epochs completed. */
  epochs: number;
  /** Wall time of the training loop. */
  seconds: number;
  /** Wall time of each epoch (training steps + train/val metrics). */
  epochSeconds: number[];
  /** val: the epoch the final weights come from; test: the final model on the test split. */
  metrics: { val: Record<string, number>; test: Record<string, number> };
  /** Test confusion matrix for classification targets (rows: true class, columns: predicted). */
  confusion?: number[][];
  /** Folder holding the run's artifacts (model.json, weights.bin, preprocess.json, ...). */
  artifactsDir: string;
}
