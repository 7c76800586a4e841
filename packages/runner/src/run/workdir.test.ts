import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkDir, sweepOrphanWorkDirs } from './workdir.ts';

/** The id of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('run scratch folders', () => {
  it("carry the process id, and a dead process's folder is removed by the next run; live ones and others are kept", async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'kiln-workdir-test-'));
    const dead = join(tmp, `kiln-run-${deadPid()}-abc123`);
    const live = join(tmp, `kiln-run-${process.pid}-def456`);
    const legacy = join(tmp, 'kiln-run-XyZ123');
    for (const d of [dead, live, legacy]) mkdirSync(d);
    writeFileSync(join(dead, 'checkpoint.bin'), 'x');
    const mine = await makeWorkDir(tmp);
    expect(mine.startsWith(join(tmp, `kiln-run-${process.pid}-`))).toBe(true);
    expect([existsSync(dead), existsSync(live), existsSync(legacy), existsSync(mine)]).toEqual([false, true, true, true]);
    expect(sweepOrphanWorkDirs(tmp)).toBe(0);
  });
});
