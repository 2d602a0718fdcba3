// The fan-out peer (issue 5): a plain JavaScript Durable Object that holds an event's viewers with the
// WebSocket Hibernation API (ctx.acceptWebSocket / ctx.getWebSockets) and broadcasts each new state to
// all of them, behind a small Worker that routes to it, as a user of Workers would write it.
//
// Its live message is ours: the benchmark captures one of our event object's live messages and PUTs it
// here once; each broadcast sets the new version and serialises the message again (JSON.stringify), as a
// JavaScript object would serialise its state, then sends the same string to every viewer.
//
//   GET  /v1/events/{event}/live                WebSocket: a snapshot on connect, then each broadcast
//   PUT  /v1/events/{event}/message             the message template (JSON)
//   POST /v1/events/{event}/broadcast?version=N set the version, broadcast; answers {"viewers": n}
//
// Started by crates/bench/js/stack-live.mjs with `wrangler dev -c crates/bench/peers/fanout-peer.toml`.
import { DurableObject } from 'cloudflare:workers';

const TAG = 'viewer';

export class FanoutRoom extends DurableObject {
  async message() {
    if (this.template === undefined) {
      const text = await this.ctx.storage.get('message');
      this.template = text === undefined ? null : JSON.parse(text);
    }
    return this.template;
  }

  async fetch(request) {
    const url = new URL(request.url);
    const action = url.pathname.split('/').pop();
    if (action === 'live') {
      if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
        return new Response('connect with a WebSocket', { status: 426 });
      }
      const { 0: client, 1: server } = new WebSocketPair();
      this.ctx.acceptWebSocket(server, [TAG]);
      const message = await this.message();
      if (message) server.send(JSON.stringify({ ...message, type: 'snapshot' }));
      return new Response(null, { status: 101, webSocket: client });
    }
    if (action === 'message' && request.method === 'PUT') {
      const text = await request.text();
      this.template = JSON.parse(text);
      await this.ctx.storage.put('message', text);
      return new Response(null, { status: 204 });
    }
    if (action === 'broadcast' && request.method === 'POST') {
      const message = await this.message();
      if (!message) return new Response('no message yet', { status: 409 });
      message.type = 'update';
      message.version = Number(url.searchParams.get('version'));
      const text = JSON.stringify(message);
      const viewers = this.ctx.getWebSockets(TAG);
      for (const ws of viewers) {
        try {
          ws.send(text);
        } catch {
          ws.close(1011, 'send failed');
        }
      }
      return Response.json({ viewers: viewers.length });
    }
    return new Response('not found', { status: 404 });
  }

  // Viewers only listen: `ping` is answered, anything else closes the socket (as our object does).
  async webSocketMessage(ws, data) {
    if (data === 'ping') ws.send('pong');
    else ws.close(1008, 'viewers only listen');
  }

  async webSocketClose(ws, code) {
    ws.close(code === 1005 || code === 1006 ? 1000 : code, 'bye');
  }

  async webSocketError(ws) {
    ws.close(1011, 'error');
  }
}

const ROUTE = /^\/v1\/events\/([A-Z]{3}[MWX][A-Z0-9]{1,18})\/(live|message|broadcast)$/;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/healthz') return Response.json({ status: 'ok', service: 'fanout-peer' });
    const match = ROUTE.exec(url.pathname);
    if (!match) return new Response('not found', { status: 404 });
    return env.FANOUT_ROOM.getByName(match[1]).fetch(request);
  },
};
