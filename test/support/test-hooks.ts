// The addon's test-only exports: built in by WINRPC_TEST_HOOKS=1 (scripts/prepare.mjs
// sets it for every test run), never in a prebuild.
import { loadAddon } from '../../lib/runtime/load-addon.js';
import type { NativeAddon, NativeServerAddon } from '../../lib/runtime/native-addon.js';

type Addon = NativeAddon & NativeServerAddon;
type TestHook =
  | 'sehSelfTest'
  | 'exprSelfTest'
  | 'testServerCounters'
  | 'testFailNextCloseThread'
  | 'testUnregisterBehind';

export function testHook<K extends TestHook>(name: K): NonNullable<Addon[K]> {
  const addon: Addon = loadAddon();
  const hook = addon[name];
  if (typeof hook !== 'function') {
    throw new Error(`the addon lacks ${name}: build it with WINRPC_TEST_HOOKS=1 (npm test does)`);
  }
  return hook.bind(addon) as NonNullable<Addon[K]>;
}
