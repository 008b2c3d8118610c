/**
 * One broker per data directory: two writing the same segments would corrupt them. The lock
 * file holds the owner's pid; a lock left by a process that is gone (kill -9) is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';

const LOCK = 'warren.lock';

export function lockDataDir(dir: string): void {
  const file = path.join(dir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(fs.readFileSync(file, 'utf8'));
      if (owner === process.pid || (owner > 0 && alive(owner))) {
        throw new Error(`data directory ${dir} is in use by process ${owner}`);
      }
      fs.unlinkSync(file); // stale: its broker died
    }
  }
}

export function unlockDataDir(dir: string): void {
  try {
    const file = path.join(dir, LOCK);
    if (Number(fs.readFileSync(file, 'utf8')) === process.pid) fs.unlinkSync(file);
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
