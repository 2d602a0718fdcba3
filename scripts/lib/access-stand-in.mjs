// Serves the local JWKS at Access's certs path, so the ingest gateway fetches and caches keys locally
// exactly as it does from https://<team>.cloudflareaccess.com/cdn-cgi/access/certs in production.
import { createServer } from 'node:http';
import { localKey } from './access-keys.mjs';

export function startAccessStandIn({ port = 0, host = '127.0.0.1', key = localKey() } = {}) {
  let body = JSON.stringify(key.jwks);
  let failing = false;
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/cdn-cgi/access/certs') {
      fetches += 1;
      // An Access outage, as the gateway sees one: the key server answers with an error.
      if (failing) return res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
      res.end(body);
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      resolve({
        port: bound,
        certsUrl: `http://${host}:${bound}/cdn-cgi/access/certs`,
        fetches: () => fetches,
        // Key rotation: serve another key set (several kids during an overlap).
        setJwks: (jwks) => { body = JSON.stringify(jwks); },
        setFailing: (value) => { failing = value; },
        close: () => new Promise((r) => server.close(r)),
      });
    });
  });
}

if (process.argv[1] && process.argv[1].endsWith('access-stand-in.mjs')) {
  const port = Number(process.env.ACCESS_PORT || 8789);
  const s = await startAccessStandIn({ port });
  console.log(`local Access certs at ${s.certsUrl}`);
}
