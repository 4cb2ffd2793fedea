// RpcError's fields and message, and keeping the caller's stack across an async call.
import { describe, expect, it } from 'vitest';
import {
  formatRpcErrorMessage,
  isRpcError,
  RpcError,
  rejectFromCaller,
} from '../../lib/runtime/rpc-error.js';

describe('RpcError', () => {
  it('carries the code, status, procedure and interface', () => {
    const error = new RpcError(1722, { interface: 'calc', procedure: 'Add' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RpcError');
    expect(error.code).toBe('RPC_S_SERVER_UNAVAILABLE');
    expect(error.status).toBe(1722);
    expect(error.procedure).toBe('Add');
    expect(error.interface).toBe('calc');
    expect(error.message).toBe('RPC_S_SERVER_UNAVAILABLE (1722): The RPC server is unavailable. [calc.Add]');
    expect(String(error)).toBe(`RpcError: ${error.message}`);
    expect(error.stack?.split('\n')[0]).toBe(`RpcError: ${error.message}`);
  });

  it('leaves out what it was not told', () => {
    const error = new RpcError(1783);
    expect(error.message).toBe('RPC_X_BAD_STUB_DATA (1783): The stub received bad data.');
    expect(error.procedure).toBeUndefined();
    expect(error.interface).toBeUndefined();
    expect(new RpcError(1783, { procedure: 'Add' }).message).toMatch(/ \[Add\]$/);
  });

  it('keeps an unknown status as its number', () => {
    const error = new RpcError(0x20000001, { interface: 'calc', procedure: 'Fail' });
    expect(error.code).toBe('0x20000001');
    expect(error.status).toBe(0x20000001);
    expect(error.message).toBe('0x20000001: Unknown status 0x20000001. [calc.Fail]');
    expect(new RpcError(12345).message).toBe('0x00003039 (12345): Unknown status 0x00003039.');
  });

  it('reads a signed exception code as the unsigned status', () => {
    const error = new RpcError(-1073741819);
    expect(error.status).toBe(0xc0000005);
    expect(error.code).toBe('STATUS_ACCESS_VIOLATION');
    expect(error.message).toMatch(/^STATUS_ACCESS_VIOLATION \(0xC0000005\): /);
  });

  it('refuses a status that is not a 32-bit integer', () => {
    expect(() => new RpcError(Number.NaN)).toThrow(RangeError);
  });

  it('adds what winrpc found to the message', () => {
    const error = new RpcError(1783, {
      procedure: 'Add',
      interface: 'calc',
      detail: 'pointer 0x10 is outside the reply',
    });
    expect(error.detail).toBe('pointer 0x10 is outside the reply');
    expect(error.message).toBe(
      'RPC_X_BAD_STUB_DATA (1783): The stub received bad data (pointer 0x10 is outside the reply). [calc.Add]',
    );
  });

  it('keeps a cause', () => {
    const cause = new Error('native detail');
    expect(new RpcError(1726, { cause }).cause).toBe(cause);
    expect('cause' in new RpcError(1726)).toBe(false);
  });

  it('is recognised by isRpcError, optionally by code', () => {
    const error = new RpcError(1767);
    expect(isRpcError(error)).toBe(true);
    expect(isRpcError(error, 'RPC_S_ZERO_DIVIDE')).toBe(true);
    expect(isRpcError(error, 'RPC_S_CALL_FAILED')).toBe(false);
    expect(isRpcError(new Error('x'))).toBe(false);
    expect(isRpcError(undefined)).toBe(false);
  });

  it('formats messages without an error', () => {
    expect(formatRpcErrorMessage(1726, { interface: 'calc' })).toBe(
      'RPC_S_CALL_FAILED (1726): The remote procedure call failed. [calc]',
    );
  });
});

describe('rejectFromCaller', () => {
  // Stands in for a client method: settles on a later tick from code that is not on
  // the caller's stack (as completions are), and captures nothing when it starts.
  function callThatFails(status: number): Promise<never> {
    let resolve!: (value: Promise<never>) => void;
    const settled = new Promise<never>((r) => {
      resolve = r;
    });
    setImmediate(function deliverCompletion() {
      rejectFromCaller(resolve, new RpcError(status, { interface: 'calc', procedure: 'Add' }), () => {});
    });
    return settled;
  }

  async function userCodeAwaiting(): Promise<unknown> {
    try {
      await callThatFails(1722);
    } catch (error) {
      return error;
    }
  }

  async function userCodeCatching(): Promise<unknown> {
    return await callThatFails(1722).catch((error: unknown) => error);
  }

  async function userCodeInPromiseAll(): Promise<unknown> {
    return await Promise.all([callThatFails(5), callThatFails(1722)]).catch((error: unknown) => error);
  }

  it("gives the error the awaiting caller's frames under its own header", async () => {
    for (const caller of [userCodeAwaiting, userCodeCatching, userCodeInPromiseAll]) {
      const error = (await caller()) as RpcError;
      const lines = error.stack?.split('\n') ?? [];
      expect(lines[0]).toBe(`RpcError: ${error.message}`);
      // V8 writes `at async name (file:line:col)`; vitest's source maps drop the `async`.
      expect(error.stack).toMatch(new RegExp(`at (async )?${caller.name} \\(.*rpc-error\\.test\\.ts:\\d+`));
      expect(error.stack).not.toMatch(/deliverCompletion|captureCaller|rejectFromCaller/);
    }
  });

  it('rejects with the same error, whatever its class, after telling the caller it is captured', async () => {
    const error = new TypeError('bad argument');
    const order: string[] = [];
    let resolve!: (value: Promise<never>) => void;
    const settled = new Promise<never>((r) => {
      resolve = r;
    });
    rejectFromCaller(resolve, error, () => order.push('captured'));
    const caught = await settled.catch((e: unknown) => {
      order.push('rejected');
      return e;
    });
    expect(caught).toBe(error);
    expect(order).toEqual(['captured', 'rejected']);
    expect(error.stack?.split('\n')[0]).toBe('TypeError: bad argument');
  });

  it('rejects with a frozen error as it is (its stack cannot be replaced)', async () => {
    const error = Object.freeze(new RpcError(1722));
    let resolve!: (value: Promise<never>) => void;
    const settled = new Promise<never>((r) => {
      resolve = r;
    });
    rejectFromCaller(resolve, error, () => {});
    await expect(settled).rejects.toBe(error);
  });
});
