// The wire server's protocol side (test/support/wire-server.ts), in a Worker: the
// runtime may bind synchronously inside the call that issues a request, blocking the
// JS thread that made it, so the endpoint must not need that thread.
// workerData.replies: opnum -> the response's stub data (an array of byte values).
import { createServer } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

const PTYPE = { request: 0, response: 2, bind: 11, bindAck: 12 };
const PFC_FIRST_LAST = 0x03;
const PFC_OBJECT_UUID = 0x80;
/** Little-endian integers, ASCII characters, IEEE floats. */
const DREP = [0x10, 0, 0, 0];
/** The NDR 2.0 transfer syntax, 8a885d04-1ceb-11c9-9fe8-08002b104860 version 2. */
const NDR20 = Buffer.from('045d888aeb1cc9119fe808002b10486002000000', 'hex');

function header(ptype, callId, body) {
  const h = Buffer.alloc(16);
  h.writeUInt8(5, 0); // rpc_vers
  h.writeUInt8(0, 1); // rpc_vers_minor
  h.writeUInt8(ptype, 2);
  h.writeUInt8(PFC_FIRST_LAST, 3);
  Buffer.from(DREP).copy(h, 4);
  h.writeUInt16LE(16 + body.length, 8); // frag_length
  h.writeUInt16LE(0, 10); // auth_length
  h.writeUInt32LE(callId, 12);
  return Buffer.concat([h, body]);
}

/** The answer to one PDU (bind: bind_ack; request: response), or undefined. */
function answer(pdu, onRequest) {
  const ptype = pdu.readUInt8(2);
  const callId = pdu.readUInt32LE(12);
  if (pdu.readUInt16LE(10) !== 0) throw new Error('the wire server takes no authentication');
  if (ptype === PTYPE.bind) {
    // max_xmit_frag, max_recv_frag, assoc_group_id, then the presentation contexts.
    const contexts = pdu.readUInt8(24);
    const results = [];
    let o = 28;
    for (let i = 0; i < contexts; i++) {
      const transfers = pdu.readUInt8(o + 2);
      const offered = Array.from({ length: transfers }, (_, t) =>
        pdu.subarray(o + 24 + t * 20, o + 44 + t * 20),
      );
      const ndr = offered.some((s) => s.equals(NDR20));
      // Accept NDR 2.0; refuse anything else (NDR64, bind-time feature negotiation) with
      // provider rejection, "proposed transfer syntaxes not supported" (reason 2).
      const result = Buffer.alloc(24);
      result.writeUInt16LE(ndr ? 0 : 2, 0);
      result.writeUInt16LE(ndr ? 0 : 2, 2);
      if (ndr) NDR20.copy(result, 4);
      results.push(result);
      o += 24 + transfers * 20;
    }
    const port = Buffer.from('0\0', 'latin1'); // secondary address: unused by the client here
    const secondary = Buffer.alloc(2 + port.length);
    secondary.writeUInt16LE(port.length, 0);
    port.copy(secondary, 2);
    const fixed = Buffer.alloc(8);
    fixed.writeUInt16LE(pdu.readUInt16LE(16), 0);
    fixed.writeUInt16LE(pdu.readUInt16LE(18), 2);
    fixed.writeUInt32LE(0x12345, 4);
    const head = Buffer.concat([fixed, secondary]);
    const pad = Buffer.alloc((4 - ((16 + head.length) % 4)) % 4);
    const list = Buffer.alloc(4);
    list.writeUInt8(results.length, 0);
    return header(PTYPE.bindAck, callId, Buffer.concat([head, pad, list, ...results]));
  }
  if (ptype === PTYPE.request) {
    const flags = pdu.readUInt8(3);
    if ((flags & PFC_FIRST_LAST) !== PFC_FIRST_LAST)
      throw new Error('the wire server takes one fragment per call');
    const contextId = pdu.readUInt16LE(20);
    const opnum = pdu.readUInt16LE(22);
    const stubAt = flags & PFC_OBJECT_UUID ? 40 : 24;
    const stub = onRequest(opnum, Buffer.from(pdu.subarray(stubAt)));
    const body = Buffer.alloc(8);
    body.writeUInt32LE(stub.length, 0); // alloc_hint
    body.writeUInt16LE(contextId, 4);
    return header(PTYPE.response, callId, Buffer.concat([body, stub]));
  }
  return undefined;
}

const server = createServer((socket) => {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 16 && pending.length >= pending.readUInt16LE(8)) {
      const pdu = pending.subarray(0, pending.readUInt16LE(8));
      pending = pending.subarray(pdu.length);
      const out = answer(pdu, (opnum, stub) => {
        parentPort.postMessage({ request: { opnum, stub: [...stub] } });
        return Buffer.from(workerData.replies[opnum] ?? []);
      });
      if (out) socket.write(out);
    }
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'close') server.close(() => process.exit(0));
});
