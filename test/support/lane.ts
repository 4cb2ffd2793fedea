// The one place tests learn which lane they run in: Linux node (unit tests only), a
// Windows node.exe under Wine, or real Windows. Wine lacks some rpcrt4 behaviour
// (../shared/WINDOWS-LANE.md); tests of it are skipped there, with the reason in the
// test's name, and run on Windows.
import { existsSync } from 'node:fs';
import { it } from 'vitest';

function detectLane(): 'linux' | 'wine' | 'windows' {
  if (process.platform !== 'win32') return 'linux';
  // Wine passes the Unix environment through, and every prefix has winecfg.
  const wine = 'WINEPREFIX' in process.env || existsSync('C:\\windows\\system32\\winecfg.exe');
  return wine ? 'wine' : 'windows';
}

export const lane = detectLane();

/** A test of Windows behaviour that Wine's rpcrt4 lacks: skipped under Wine. */
export function itUnlessWine(
  gap: string,
  name: string,
  fn: () => unknown | Promise<unknown>,
  timeout?: number,
): void {
  const title = lane === 'wine' ? `${name} (skipped under Wine: ${gap})` : name;
  it.skipIf(lane === 'wine')(title, fn, timeout);
}
