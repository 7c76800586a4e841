#!/usr/bin/env node
// The UI's end-to-end tests drive a real Chromium (Debian's package; npm browser downloads fail
// in this environment). Make sure it is there before the tests start, installing it when we can.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = [process.env.KILN_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
if (CANDIDATES.some((p) => existsSync(p))) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (isRoot && hasApt) {
  process.stderr.write('Chromium is missing; installing Debian\'s chromium package for the browser tests...\n');
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    process.exit(0);
  } catch {
    process.stderr.write('apt-get could not install chromium.\n');
  }
}
process.stderr.write(
  'The UI browser tests need Chromium. Install it (Debian: sudo apt-get install chromium) or set KILN_CHROMIUM to its path.\n',
);
process.exit(1);
