// A reply's [in, out] strings must fit the memory the client unmarshals them into.
//
// A MIDL client's stub writes an [in, out] pointee back into the memory it sent it from
// when the pointer was non-NULL on input ("If the [unique] pointer was non-NULL on input,
// the client stub writes the associated data into existing memory": midl_user_allocate,
// Microsoft's MIDL reference; a [ref] pointer "points to the same memory as before the
// call": the string attribute). A conformant string without size_is or max_is gives that
// memory no other bound than the string sent: a longer reply overruns the client's buffer
// (measured: a JS SuffixNames answering longer strings crashed the winrpc client's
// process). A C server cannot make it longer in place either, as the server's own copy
// holds just the string received ("the amount of memory allocated on the server is the
// same as the transmitted string size plus one"). So winrpc's server refuses such a reply
// before anything is marshalled, with RPC_X_INVALID_BOUND (1734, "The array bounds are
// invalid"): what the NDR engine raises for a string or array whose length passes its
// bound. A pointer that was NULL on input gets memory the client allocates, so its new
// string may have any length; strings with a fixed count or size_is are bounded by it
// (lib/runtime's encoder checks those).
import type { CompiledProcedure, TypeLayout } from '../ndr/compiled.js';
import { encodeString } from '../runtime/encode-call.js';

/** RPC_X_INVALID_BOUND (= RPC_S_INVALID_BOUND): the status a refused reply raises. */
export const INOUT_STRING_TOO_LONG_STATUS = 1734;

/** A reply the server refuses to send; reported through the server's 'error' event too. */
export class ReplyRefused extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'ReplyRefused';
    this.status = status;
  }
}

/**
 * Throws ReplyRefused when an [in, out] string of the reply is longer (in code units,
 * terminator included) than the one the client sent in the same place. `inputs`: the
 * decoded [in] values; `replies`: the [in, out] values about to be encoded, by name.
 */
export function checkInOutStrings(
  proc: CompiledProcedure,
  inputs: Map<string, unknown>,
  replies: Map<string, unknown>,
): void {
  for (const p of proc.params) {
    if (p.direction !== 'inout') continue;
    // A top-level pointer always exists (an [in, out] parameter is a pointer), so its
    // pointee is written in place whatever its kind.
    const target = p.type.kind === 'pointer' ? p.type.target : p.type;
    check(target, inputs.get(p.name), replies.get(p.name), `${proc.name}(${p.name})`);
  }
}

function check(type: TypeLayout, sent: unknown, reply: unknown, path: string): void {
  switch (type.kind) {
    case 'string': {
      if (type.count !== undefined || type.sizeIs !== undefined) return;
      if (typeof sent !== 'string' || typeof reply !== 'string') return;
      const room = encodeString(type.char, sent).length;
      const needed = encodeString(type.char, reply).length;
      if (needed > room) {
        throw new ReplyRefused(
          `${path}: the reply's [in, out] string has ${needed} code units, more than the ${room} the client sent (its memory holds no more; size_is or max_is would give it room)`,
          INOUT_STRING_TOO_LONG_STATUS,
        );
      }
      return;
    }
    case 'pointer':
      // NULL on input: the client allocates what comes back, of any length.
      if (sent === null || sent === undefined) return;
      check(type.target, sent, reply, path);
      return;
    case 'struct': {
      if (!isRecord(sent) || !isRecord(reply)) return;
      for (const field of type.fields) {
        check(field.type, sent[field.name], reply[field.name], `${path}.${field.name}`);
      }
      return;
    }
    case 'array': {
      if (!Array.isArray(sent) || !Array.isArray(reply)) return;
      const n = Math.min(sent.length, reply.length);
      for (let i = 0; i < n; i++) check(type.element, sent[i], reply[i], `${path}[${i}]`);
      return;
    }
    case 'union': {
      // Only an arm the client had before holds memory of the client's; another arm's
      // pointers were not there, and the client allocates for them.
      if (!isRecord(sent) || !isRecord(reply) || sent.case !== reply.case) return;
      for (const arm of type.arms) {
        if (arm.member)
          check(arm.member.type, sent[arm.member.name], reply[arm.member.name], `${path}.${arm.member.name}`);
      }
      return;
    }
    default:
      // Scalars hold no strings; a recursive type's nodes ([unique] next pointers) are not
      // followed (a list's strings are not checked: see docs/notes.md).
      return;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}
