// Which processes of a process group are still alive, for tests that start Kiln in a group of its own.
import { readdirSync, readFileSync } from 'node:fs';

/** Live (non-zombie) processes of process group `pgid`, from /proc (Linux). */
export function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses, so split after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') out.push(Number(pid));
  }
  return out;
}
