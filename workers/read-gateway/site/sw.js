// The offline shell: the page and its assets, and the last answer of every read, kept by the browser.
// Pages and data are asked of the network first; only when it fails is the kept copy answered, marked
// with x-ol-saved (when it was kept) so the page says it is showing saved data. Assets are named by
// their content, so a kept one is always right.
'use strict';
const SHELL = 'ol-shell-1', DATA = 'ol-data-1';
self.addEventListener('install', (e) => { e.waitUntil(caches.open(SHELL).then((c) => c.add('/')).then(() => self.skipWaiting())); });
self.addEventListener('activate', (e) => { e.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== DATA).map((k) => caches.delete(k)))).then(() => self.clients.claim())); });
self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== location.origin) return;
  if (url.pathname.startsWith('/assets/')) e.respondWith(caches.match(e.request).then((hit) => hit || fetch(e.request).then((res) => keep(SHELL, e.request, res))));
  else if (url.pathname === '/') e.respondWith(fresh(SHELL, new Request('/'), e.request));
  else if (url.pathname.startsWith('/v1/') && !url.pathname.endsWith('/live')) e.respondWith(fresh(DATA, e.request, e.request));
});
async function keep(cache, req, res) {
  if (res.ok) {
    const headers = new Headers(res.headers);
    headers.set('x-ol-saved', String(Date.now()));
    const copy = new Response(await res.clone().blob(), {status: res.status, headers});
    (await caches.open(cache)).put(req, copy);
  }
  return res;
}
async function fresh(cache, key, req) {
  try { return await keep(cache, key, await fetch(req)); } catch (err) {
    const hit = await caches.match(key);
    if (hit) return hit;
    throw err;
  }
}
