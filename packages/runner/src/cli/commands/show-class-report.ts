/** The per-class test report (precision, recall, F1, support per class) as `kiln show` and `kiln compare` print it, from a run's class-report.json. */
import { readArtifact, type ArtifactRecord, type Store } from '@kiln/core/store';
import { classReportText, printableClass, type HeadClassReport } from '../../train/class-report.ts';

type Artifact = ArtifactRecord;

/** A run's per-head class reports, or none when it has no readable class-report.json. */
export async function readClassReports(store: Store, artifacts: readonly Artifact[]): Promise<HeadClassReport[]> {
  const found = artifacts.find((a) => a.kind === 'class-report');
  if (!found) return [];
  try {
    const { heads = [] } = JSON.parse((await readArtifact(store, found)).toString('utf8')) as { heads?: HeadClassReport[] };
    return heads.filter((h) => Array.isArray(h.report?.classes));
  } catch {
    // a file removed or edited by hand: the command shows what the store has and skips the table
    return [];
  }
}

/** The printed per-class tables of a run (one per classification head). */
export async function classReportLines(store: Store, artifacts: readonly Artifact[]): Promise<string[]> {
  return (await readClassReports(store, artifacts)).flatMap((h) => ['', classReportText(h)]);
}

/** `kiln compare`'s rows: each class's test F1 (per head), one column per run, '-' where a run has no such class. */
export function perClassRows(runs: readonly HeadClassReport[][]): string[][] {
  const label = (h: HeadClassReport, name: string) => `test.f1 [${h.output ? `${printableClass(h.output)}: ` : ''}${printableClass(name)}]`;
  const keys = [...new Set(runs.flatMap((heads) => heads.flatMap((h) => h.report.classes.map((c) => label(h, c.class)))))];
  return keys.map((key) => [key, ...runs.map((heads) => heads.flatMap((h) => h.report.classes.filter((c) => label(h, c.class) === key)).map((c) => c.f1.toFixed(4))[0] ?? '-')]);
}
