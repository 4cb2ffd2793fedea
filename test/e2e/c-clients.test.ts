// The independent check of winrpc's servers: MIDL-style C clients (test/clients/, the
// client stubs widl or MIDL generates from the test IDLs, with nothing of winrpc in
// them) call the JS twins of the test servers on every protocol sequence, and must see
// what they see from the C servers: the same lines, which are pinned here. Full pointers
// keep their aliasing; generic handles bind through the client's bind routine; context handles are opened, used, closed and, when a client
// process is killed, run down.
import { afterEach, describe, expect, it } from 'vitest';
import { runClient, startClient } from '../support/c-client.js';
import { startJsServerInProcess } from '../support/js-server.js';
import { PROTSEQS, type RunningServer, startServer } from '../support/rpc-server.js';
import type { Protseq } from '../support/server-endpoints.js';

const CALC_VALUES = [
  'Add 2 3 -> 5',
  'Add 2147483647 1 -> -2147483648',
  'Divide 17 5 -> 3 remainder 2',
  'Divide -17 5 -> -3 remainder -2',
  'Divide 1 0 -> status 1767',
  'Fail 1783 -> status 1783',
  'Fail 5 -> status 5',
  'Delay 20 -> 20',
];

// types.idl's transforms: integers + 1 wrapping, floats negated, enums to the next.
const TYPES_VALUES = [
  'EchoBoolean 1 -> 1',
  'InOutByte 255 -> 0',
  'OutSmall 127 -> -128',
  'OutShort -2 -> -1',
  'EchoLong -123456 -> -123456',
  'InOutLong 2147483647 -> -2147483648',
  'OutHyper 9223372036854775806 -> 9223372036854775807',
  'OutWchar 0x263a -> 0x263b',
  'EchoFloat 1.5 -> 1.5',
  'InOutDouble 0.25 -> -0.25',
  'InOutShape 9 -> 0',
  'OutLevel 100000 -> -1',
  'MixedArgs 1 2.5 3.5 4 5.25 6 7.75 -> 30',
  'StringLengthA hello -> 5 sum 532',
  'StringLengthW h\\u00e9\\u263a -> 3 sum 10123',
  'ShoutA shout -> SHOUT!',
  'ShoutW quiet (no room) -> QUIET',
  'UniqueOrDefault NULL 9 -> 9',
  'UniqueOrDefault 5 9 -> 5',
  'UniqueStringLength NULL 7 -> 7',
  'UniqueStringLength abcd 7 -> 4',
  'TransformPoint -1 4294967296 2.5 32767 a -> 0 4294967297 -2.5 -32768 b',
  'SumLongs 1 -2 2147483647 2147483647 -> 4294967293',
  'SumLongs (none) -> 0',
  'FillLongs 5 3 -> 3: 1 4 7',
  'ScaleDoubles 1 -0.5 3 by 4 -> 4 -2 12',
];

// Full pointers keep aliasing both ways: one Box sent twice, one Box received twice.
const POINTERS_VALUES = [
  'Deref2 7 -> 7',
  'Deref2 NULL -> -1',
  'MakePtrPtr 42 -> 42',
  'MakePtrPtr 0 -> NULL',
  'SameTarget one one -> 1',
  'SameTarget one other -> 0',
  'SameTarget one NULL -> -1',
  'MakePair 5 0 -> 5 6 two objects',
  'MakePair 5 1 -> 5 5 one object',
];

// Generic handles: the stub binds through SERVER_NAME_bind and sends the name itself.
const GENERIC_VALUES = [
  'NameLength server\\u00e9 41 -> 42 length 7',
  'NameLength NULL 1 -> 2 length -1',
  'LateName 7 zed -> 122007',
];

const SESSIONS_USE = [
  'OpenCounter 10 -> handle',
  'NextValue -> 10',
  'NextValue -> 11',
  'OpenCounterRet -3 -> handle',
  'NextValue -> -3',
  'NextValue first -> 12',
  'OpenCounters -> 2',
  'CloseCounter -> NULL',
  'OpenCounters -> 1',
  'CloseCounter -> NULL',
];

/** The C server is the reference: the same client must see the same from both. */
const SERVERS = {
  'the JS twin': startJsServerInProcess,
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
