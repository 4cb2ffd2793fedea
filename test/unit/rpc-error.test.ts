// RpcError's fields and message, and keeping the caller's stack across an async call.
import { describe, expect, it } from 'vitest';
import { captureCallSite, formatRpcErrorMessage, isRpcError, RpcError } from '../../lib/runtime/rpc-error.js';

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

describe('captureCallSite', () => {
  // Stands in for a client method: captures at call time, rejects on a later tick
  // from code that is not on the caller's stack (as completions are).
  function callThatFails(status: number): Promise<never> {
    const site = captureCallSite(callThatFails);
    return new Promise((_, reject) => {
      setImmediate(function deliverCompletion() {
        reject(site.attach(new RpcError(status, { interface: 'calc', procedure: 'Add' })));
      });
    });
  }

  async function userCodeMakingTheCall(): Promise<unknown> {
    return callThatFails(1722).catch((error: unknown) => error);
  }

  it("puts the caller's frames under the error's own header", async () => {
    const error = (await userCodeMakingTheCall()) as RpcError;
    const lines = error.stack?.split('\n') ?? [];
    expect(lines[0]).toBe(`RpcError: ${error.message}`);
    expect(lines[1]).toMatch(/userCodeMakingTheCall/);
    expect(error.stack).not.toMatch(/deliverCompletion/);
    expect(error.stack).not.toMatch(/at callThatFails/);
    expect(error.code).toBe('RPC_S_SERVER_UNAVAILABLE');
  });

  it('returns the same error, whatever its class', () => {
    const site = captureCallSite();
    const error = new TypeError('bad argument');
    expect(site.attach(error)).toBe(error);
    expect(error.stack?.split('\n')[0]).toBe('TypeError: bad argument');
    expect(error.stack).toMatch(/rpc-error\.test\.ts/);
  });
});
