// diagnostics() for a before/after comparison: without takenArenaBytes, which falls
// whenever V8 happens to collect an earlier call's arena (the arena JS decoded and let
// go of stays counted until then), so it says nothing about the calls under test.
import { type Diagnostics, diagnostics } from '../../lib/index.js';

export function heldDiagnostics(): Omit<Diagnostics, 'takenArenaBytes'> {
  const { takenArenaBytes: _collectedLater, ...held } = diagnostics();
  return held;
}
