// A pointer to a pointer to a struct has one JS value for both levels ({ value: 1 } for
// `Box **`): the encoder lays it out once, and its cycle check does not mistake the
// second level for a cycle (a server's `[out] Record **r` result, structs.test.ts).
import { describe, expect, it } from 'vitest';
import { compileIdl } from '../../lib/ndr/compile.js';
import { encodeCall } from '../../lib/runtime/encode-call.js';

const [iface] = compileIdl(
  `[uuid(3c8f5e21-9a4b-4d7e-8f16-2b5c7d9e0a44), version(1.0), pointer_default(unique)]
   interface pp {
     typedef struct Box { long value; [unique] struct Box *next; } Box;
     long Deref([in] Box **pp);
   }`,
  { file: 'pp.idl' },
);
const proc = iface!.procedures[0]!;

describe('encoding a pointer to a pointer to a struct', () => {
  it('lays the struct out once behind both pointers', () => {
    const plan = encodeCall(proc, [{ value: 7, next: null }]);
    const arena = new DataView(plan.encoded.arena.buffer);
    const outer = plan.pointees.get('pp') as number;
    // The outer pointee is the inner pointer: 8 bytes naming the struct (a relocation).
    const inner = Number(arena.getBigUint64(outer, true));
    expect([...plan.encoded.relocations]).toContain(outer);
    expect(arena.getInt32(inner, true)).toBe(7);
  });

  it('still refuses a real cycle through a [unique] pointer', () => {
    const box: { value: number; next: unknown } = { value: 1, next: null };
    box.next = box;
    expect(() => encodeCall(proc, [box])).toThrow(/leads back to itself/);
  });
});
