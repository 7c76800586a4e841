/** `kiln show`'s per-class section: the run's test report (precision, recall, F1, support per class) from its class-report.json. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { classReportText, type HeadClassReport } from '../../train/class-report.ts';

/** The printed per-class tables of a run (one per classification head), or nothing when it has no readable class-report.json. */
export async function classReportLines(artifactsDir: string, artifacts: readonly { path: string; kind: string }[]): Promise<string[]> {
  const found = artifacts.find((a) => a.kind === 'class-report');
  if (!found) return [];
  try {
    const { heads = [] } = JSON.parse(await readFile(join(artifactsDir, found.path), 'utf8')) as { heads?: HeadClassReport[] };
    return heads.flatMap((h) => ['', classReportText(h)]);
  } catch {
    // a file removed or edited by hand: show says what the store has and skips the table
    return [];
  }
}
