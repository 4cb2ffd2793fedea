// The independent check of winrpc's servers: MIDL-style C clients (test/clients/, the
// client stubs widl or MIDL generates from the test IDLs, with nothing of winrpc in
// them) call the JS twins of the test servers on every protocol sequence, and must see
// what they see from the C servers: the same lines (test/support/c-client-lines.ts).
// Scalars, strings, arrays, structs and unions travel both ways; full pointers keep their
// aliasing; generic handles bind through the client's bind routine; context handles are
// opened, used, closed and, when a client process is killed, run down.
import { afterEach, describe, expect, it } from 'vitest';
import { runClient, startClient } from '../support/c-client.js';
import {
  ARRAYS_VALUES,
  CALC_VALUES,
  GENERIC_VALUES,
  POINTERS_VALUES,
  SESSIONS_USE,
  STRUCTS_VALUES,
  TYPES_VALUES,
  UNIONS_VALUES,
} from '../support/c-client-lines.js';
import { startJsServer, startJsServerInProcess } from '../support/js-server.js';
import { PROTSEQS, type RunningServer, startServer } from '../support/rpc-server.js';
import type { Protseq } from '../support/server-endpoints.js';

/**
 * The C server is the reference: the same client must see the same from each. Twins run
 * in a Worker of their own (which loads the addon, as the test's thread here does not)
 * and in the test's thread.
 */
const SERVERS = {
  'the JS twin': startJsServer,
  'the JS twin in this thread': startJsServerInProcess,
  'the C server': startServer,
} as const satisfies Record<string, (name: string, protseq: Protseq) => Promise<RunningServer>>;

const started: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

describe.each(Object.entries(SERVERS))('C clients against %s', (_, start) => {
  const serve = async (name: string, protseq: Protseq) => {
    const server = await start(name, protseq);
    started.push(server);
    return server.binding;
  };

  describe.each(PROTSEQS)('over %s', (protseq) => {
    it('calc: values, an [out] value and raised statuses', async () => {
      expect(await runClient('calc', await serve('calc', protseq), 'values')).toEqual(CALC_VALUES);
    }, 60_000);

    it('types: scalars, strings, a struct, unique pointers and arrays', async () => {
      expect(await runClient('types', await serve('types', protseq), 'values')).toEqual(TYPES_VALUES);
    }, 60_000);

    it('pointers: pointers to pointers and full pointers, aliasing kept', async () => {
      expect(await runClient('pointers', await serve('pointers', protseq), 'values')).toEqual(
        POINTERS_VALUES,
      );
    }, 60_000);

    it('arrays: fixed, varying and conformant arrays, in structs and as parameters, string pointers', async () => {
      expect(await runClient('arrays', await serve('arrays', protseq), 'values')).toEqual(ARRAYS_VALUES);
    }, 60_000);

    it('structs: fixed, conformant and conformant-varying structs, embedded pointers, nesting', async () => {
      expect(await runClient('structs', await serve('structs', protseq), 'values')).toEqual(STRUCTS_VALUES);
    }, 60_000);

    it('unions: non-encapsulated and encapsulated unions, default arms, __int3264', async () => {
      expect(await runClient('unions', await serve('unions', protseq), 'values')).toEqual(UNIONS_VALUES);
    }, 60_000);

    it('generic: generic binding handles, a NULL one included', async () => {
      expect(await runClient('generic', await serve('generic', protseq), 'values')).toEqual(GENERIC_VALUES);
    }, 60_000);

    it('sessions: context handles opened, used and closed', async () => {
      const binding = await serve('sessions', protseq);
      expect(await runClient('sessions', binding, 'use')).toEqual(SESSIONS_USE);
      expect(await runClient('sessions', binding, 'count')).toEqual(['OpenCounters -> 0']);
    }, 60_000);

    it('sessions: the handles of a killed client are run down', async () => {
      const binding = await serve('sessions', protseq);
      const holder = startClient('sessions', binding, 'hold', '3');
      const deadline = Date.now() + 30_000;
      // Unbuffered, msvcrt's printf may write the line and its end separately.
      while (
        !holder.output().includes('open 3\n') &&
        Date.now() < deadline &&
        holder.child.exitCode === null
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(holder.output()).toBe('open 3\n');
      expect(await runClient('sessions', binding, 'count')).toEqual(['OpenCounters -> 3']);
      holder.child.kill();
      await holder.exited;
      // Polled until the rundown shows. Once in about ten runs this test failed within
      // 1 s against the C server on ncacn_ip_tcp, cause not captured: a failed count call
      // now prints its status instead of ending its process, so a next failure says more.
      let open = 'OpenCounters -> 3';
      while (open !== 'OpenCounters -> 0' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        [open = ''] = await runClient('sessions', binding, 'count');
      }
      expect(open).toBe('OpenCounters -> 0');
    }, 60_000);
  });
});
