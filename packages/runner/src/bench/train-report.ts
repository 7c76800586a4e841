/** The training benchmark's table: one row per task and thread count. */

export interface Row {
  task: string;
  threads: number;
  epochs: number;
  /** Seconds per epoch: the median over repeats of each run's median of epochs 2..n. */
  kiln: number;
  kilnAccuracy: number;
  plain?: number;
  plainAccuracy?: number;
  torch?: number;
  torchAccuracy?: number;
}

const f = (v: number | undefined, digits = 3) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(digits));
const ratio = (a: number, b: number | undefined) => (b === undefined || Number.isNaN(a) ? '-' : (a / b).toFixed(2));

/** Prints the rows as a Markdown table, with what the numbers are. */
export function printTable(rows: Row[], repeat: number): void {
  const head = ['task', 'threads', 'epochs', 'Kiln s/ep', 'plain tfjs s/ep', 'PyTorch s/ep', 'Kiln/PyTorch', 'Kiln/plain', 'acc Kiln', 'acc plain', 'acc PyTorch'];
  const lines = rows.map((r) => [r.task, String(r.threads), String(r.epochs), f(r.kiln), f(r.plain), f(r.torch), ratio(r.kiln, r.torch), ratio(r.kiln, r.plain), f(r.kilnAccuracy, 4), f(r.plainAccuracy, 4), f(r.torchAccuracy, 4)]);
  const out = [head, head.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  const how = repeat > 1 ? `median of ${repeat} runs each, run in rotating order` : 'one run each';
  process.stdout.write(
    `\n${out}\n\ns/epoch: median of epochs 2..n of the training steps, ${how}. PyTorch runs its own recipe epochs (MLP/CNN 5, LSTM 3) with torch.set_num_threads(threads) (OMP_WAIT_POLICY=PASSIVE above 1 thread); plain tfjs uses Kiln's kernels and fused optimizer.\n`,
  );
}
