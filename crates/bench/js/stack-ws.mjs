// A minimal WebSocket viewer for the live benchmarks: an RFC 6455 client on a plain TCP socket that only
// listens. It parses frame headers, keeps the first bytes of each text message (where `"version":N`
// sits) and skips the rest without copying it, so one Node process can watch thousands of sockets at
// several times the rate of a general-purpose client: the benchmark measures the Workers, not the client.
// No extensions are offered (no permessage-deflate), as with the `ws` clients of the end-to-end tests.
import { randomBytes } from 'node:crypto';
import net from 'node:net';

const VERSION_KEY = Buffer.from('"version":');
const PREFIX_BYTES = 160;

/// The `version` of a live message from its first bytes; -1 when there is none (`pong`).
export function versionOf(buf) {
  const at = buf.indexOf(VERSION_KEY);
  if (at < 0) return -1;
  let v = 0;
  let digits = 0;
  for (let i = at + VERSION_KEY.length; i < buf.length; i += 1) {
    const c = buf[i];
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    digits += 1;
  }
  return digits ? v : -1;
}

/// Opens a viewer on `url` (ws://host:port/path). `onMessage(version, at)` is called once per complete
/// text message, `at` being performance.now() when its last byte was read; `onClose(why)` when the socket
/// ends. Resolves once the server has answered 101, with { close(), socket }; rejects on anything else or
/// after `timeoutMs`.
export function openViewer(url, { onMessage, onClose = () => {}, timeoutMs = 15_000 }) {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port), noDelay: true });
    let upgraded = false;
    let head = Buffer.alloc(0);
    // Frame state.
    let pending = null; // an incomplete frame header carried to the next chunk
    let skip = 0; // payload bytes of the current frame still to come
    let opcode = 0;
    let fin = false;
    let inText = false; // inside a text message (which may span continuation frames)
    let prefix = []; // the message's first bytes
    let prefixLen = 0;
    let closed = false;
    let closeInfo = null;

    const timer = setTimeout(() => fail(new Error(`no WebSocket upgrade from ${url} within ${timeoutMs} ms`)), timeoutMs);
    function fail(err) {
      clearTimeout(timer);
      socket.destroy();
      if (!upgraded) reject(err);
    }

    function endFrame() {
      if (opcode === 0x8) { // close: note the code, answer it and go
        closed = true;
        const body = Buffer.concat(prefix, prefixLen);
        prefix = [];
        prefixLen = 0;
        closeInfo = body.length >= 2 ? `${body.readUInt16BE(0)} ${body.subarray(2).toString('utf8')}` : 'close frame';
        socket.end(Buffer.from([0x88, 0x80, 0, 0, 0, 0]));
        return;
      }
      if (opcode === 0x9) { // ping: answer with an empty, masked pong
        socket.write(Buffer.from([0x8a, 0x80, 0, 0, 0, 0]));
        return;
      }
      if (inText && fin) {
        const at = performance.now();
        inText = false;
        const bytes = prefix.length === 1 ? prefix[0] : Buffer.concat(prefix, prefixLen);
        prefix = [];
        prefixLen = 0;
        onMessage(versionOf(bytes), at);
      }
    }

    function frames(chunk) {
      let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
      pending = null;
      let i = 0;
      while (i < buf.length) {
        if (skip > 0) {
          const n = Math.min(skip, buf.length - i);
          if ((inText || opcode === 0x8) && prefixLen < PREFIX_BYTES) {
            const take = Math.min(n, PREFIX_BYTES - prefixLen);
            prefix.push(Buffer.from(buf.subarray(i, i + take)));
            prefixLen += take;
          }
          i += n;
          skip -= n;
          if (skip === 0) endFrame();
          continue;
        }
        const left = buf.length - i;
        if (left < 2) { pending = Buffer.from(buf.subarray(i)); break; }
        const b0 = buf[i];
        const b1 = buf[i + 1];
        let len = b1 & 0x7f;
        let size = 2;
        if (len === 126) {
          if (left < 4) { pending = Buffer.from(buf.subarray(i)); break; }
          len = buf.readUInt16BE(i + 2);
          size = 4;
        } else if (len === 127) {
          if (left < 10) { pending = Buffer.from(buf.subarray(i)); break; }
          len = Number(buf.readBigUInt64BE(i + 2));
          size = 10;
        }
        if (b1 & 0x80) size += 4; // a server must not mask, but skip a mask if one is there
        if (left < size) { pending = Buffer.from(buf.subarray(i)); break; }
        opcode = b0 & 0x0f;
        fin = (b0 & 0x80) !== 0;
        if (opcode === 0x1) inText = true;
        i += size;
        skip = len;
        if (len === 0) endFrame();
      }
      buf = null;
    }

    socket.on('connect', () => {
      socket.write(`GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n`
        + `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n`
        + 'Sec-WebSocket-Version: 13\r\n\r\n');
    });
    socket.on('data', (chunk) => {
      if (upgraded) return frames(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16_384) fail(new Error(`oversized handshake answer from ${url}`));
        return;
      }
      const status = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      if (!/^HTTP\/1\.1 101 /.test(status)) return fail(new Error(`${url} answered "${status}"`));
      upgraded = true;
      clearTimeout(timer);
      const rest = head.subarray(end + 4);
      head = null;
      resolve({ socket, close: () => socket.destroy() });
      if (rest.length) frames(Buffer.from(rest));
    });
    socket.on('error', (err) => {
      closeInfo ??= `error ${err.code ?? err.message}`;
      fail(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (!upgraded) reject(new Error(`${url} closed before the upgrade`));
      else onClose(closeInfo ?? 'TCP close without a close frame');
    });
  });
}
