// The read peer (issue 5): a plain JavaScript Worker answering GET /v1/events/{event}/leaderboard with the
// same stored JSON, bytes and headers as our read gateway. It is what a user of Workers would write first,
// minus the store: the benchmark fetches the page once from our gateway and hands it over as a variable
// (PEER_BODY, PEER_HEADERS), which this module keeps in a module constant after the first request. So
// the peer's answer costs one routing check and one Response: the floor for any Worker in this runtime.
//
// A second route, /cached/v1/events/{event}/leaderboard, answers the same page through the Cache API
// (caches.default, keyed on the full URL, put before answering, as our gateway does), so the benchmark can
// tell what the local simulation of the edge cache costs apart from what our Worker costs.
//
// Started by crates/bench/js/stack-read.mjs with `wrangler dev -c crates/bench/peers/read-peer.toml --var …`.

let cached; // { body: Uint8Array, headers: [name, value][] }

function page(env) {
  if (!cached) {
    cached = {
      body: new TextEncoder().encode(env.PEER_BODY ?? ''),
      headers: JSON.parse(env.PEER_HEADERS ?? '[]'),
    };
  }
  return cached;
}

const LEADERBOARD = /^(\/cached)?\/v1\/events\/[A-Z]{3}[MWX][A-Z0-9]{1,18}\/leaderboard$/;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/healthz') return Response.json({ status: 'ok', service: 'read-peer' });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } });
    }
    const match = LEADERBOARD.exec(url.pathname);
    if (!match) return new Response('not found', { status: 404 });
    const { body, headers } = page(env);
    if (!match[1]) return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
    const cache = caches.default;
    const hit = await cache.match(request.url);
    if (hit) return hit;
    const fresh = new Response(body, { status: 200, headers });
    await cache.put(request.url, fresh.clone());
    return fresh;
  },
};
