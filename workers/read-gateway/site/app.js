// Olympic Live, the website: hash-routed views rendered from the read API, with no dependency. Hot
// documents (/v1/events, /v1/events/{e}, its leaderboard, /v1/medals, /v1/schedule/{day}) are read by their
// exact public paths, with no query, because a CDN serves those from a bucket; everything else is the API.
// Every value reaches the DOM as text (h() never parses HTML).
'use strict';
const $ = (s) => document.querySelector(s);
const main = $('#main'), EMBED = document.body.dataset.embed === '1';
const TZ = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const DISC = {ALP:'Alpine skiing', BTH:'Biathlon', BOB:'Bobsleigh', CCS:'Cross-country skiing', CUR:'Curling', FSK:'Figure skating', FRS:'Freestyle skiing', IHO:'Ice hockey', LUG:'Luge', NCB:'Nordic combined', STK:'Short track', SKN:'Skeleton', SJP:'Ski jumping', SMT:'Ski mountaineering', SBD:'Snowboard', SSK:'Speed skating'};
const GEN = {M:'Men', W:'Women', X:'Mixed'};
const STATUS = {START_LIST:'Start list', LIVE:'Live', INTERMEDIATE:'Live', UNCONFIRMED:'Unconfirmed', PARTIAL:'Live', UNOFFICIAL:'Unofficial', PROVISIONAL:'Provisional', OFFICIAL:'Official'};
const LIVE = new Set(['LIVE', 'INTERMEDIATE', 'UNCONFIRMED', 'PARTIAL']), DONE = new Set(['UNOFFICIAL', 'PROVISIONAL', 'OFFICIAL']);
const PROG = {live:'Live', scheduled:'Coming up', finished:'Finished'};
const MEDAL = {GOLD:'Gold', SILVER:'Silver', BRONZE:'Bronze'};
const IRM = {DNF:'Did not finish', DNS:'Did not start', DSQ:'Disqualified', DNQ:'Did not qualify', LAP:'Lapped', DQB:'Disqualified for unsportsmanlike behaviour', WDR:'Withdrawn'};
const DECIDED = {OVERTIME:['OT', 'after overtime'], SHOOTOUT:['SO', 'after a shoot-out'], EXTRA_END:['EE', 'after an extra end']};

// Builds an element; strings are always added as text, never parsed as HTML.
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k === 'cls' ? 'class' : k, v === true ? '' : v);
  }
  for (const kid of kids.flat(4)) if (kid != null && kid !== false && kid !== '') el.append(kid instanceof Node ? kid : String(kid));
  return el;
}
const ord = (n) => { const s = ['th', 'st', 'nd', 'rd'], v = n % 100; return n + (s[(v - 20) % 10] || s[v] || s[0]); };
const plural = (n, w, ws = w + 's') => `${n} ${n === 1 ? w : ws}`;
const enc = encodeURIComponent;

// ---- Time. Days are the viewer's own (a 00:10 start in Auckland is on the Auckland day), with the
// venue's time beside. "Now" is the wall clock while the Games is on (from a day before its first start
// to a day after its last). Outside that window (a replay, such as the simulated Games of February 2026
// watched in December), it is the Games' own clock: the start of the latest unit that has results, so
// "live now", "next up", countdowns and "today" follow the data instead of the calendar.
let gamesClock = null;
const now = () => gamesClock ?? Date.now();
function setGamesClock(events) {
  let first = Infinity, last = -Infinity, latest = null;
  for (const e of events) for (const u of e.schedule || []) {
    if (u.start_utc_ms == null) continue;
    first = Math.min(first, u.start_utc_ms); last = Math.max(last, u.start_utc_ms);
    if (lineOf(e, u.unit)?.status && u.start_utc_ms > (latest ?? -1)) latest = u.start_utc_ms;
  }
  const wall = Date.now(), on = wall > first - 864e5 && wall < last + 864e5;
  gamesClock = on || first === Infinity ? null : latest ?? first;
}
const dayOf = (ms, tz = TZ) => new Intl.DateTimeFormat('en-CA', {timeZone:tz, year:'numeric', month:'2-digit', day:'2-digit'}).format(ms);
const fmtTime = (ms, tz) => new Intl.DateTimeFormat(undefined, {hour:'2-digit', minute:'2-digit', hourCycle:'h23', timeZone:tz}).format(ms);
const fmtDay = (d, o = {weekday:'long', day:'numeric', month:'long'}) => new Intl.DateTimeFormat(undefined, {...o, timeZone:'UTC'}).format(Date.UTC(+d.slice(0, 4), d.slice(5, 7) - 1, +d.slice(8, 10)));
const SHORT = {weekday:'short', day:'numeric', month:'short'};
const zone = (ms, tz) => { try { return new Intl.DateTimeFormat(undefined, {timeZone:tz, timeZoneName:'short'}).formatToParts(ms).find((p) => p.type === 'timeZoneName').value; } catch { return tz; } };
const addDays = (d, n) => new Date(Date.UTC(+d.slice(0, 4), d.slice(5, 7) - 1, +d.slice(8, 10) + n)).toISOString().slice(0, 10);
function until(ms) {
  const m = Math.round((ms - now()) / 6e4);
  if (m <= 0) return 'starting';
  if (m < 60) return `in ${m} min`;
  if (m < 1440) return `in ${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
  return `in ${plural(Math.round(m / 1440), 'day')}`;
}
const ago = (ms) => { const s = Math.max(0, Math.round((Date.now() - ms) / 1000)); return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.floor(s / 60)} min ago` : 'at ' + fmtTime(ms); };
// When a unit starts, in the viewer's time and the venue's.
const when = (ms, venue) => ms == null ? 'Time to be confirmed' : [fmtTime(ms), venue?.timezone && venue.timezone !== TZ && h('span', {cls:'d'}, `${fmtTime(ms, venue.timezone)} ${zone(ms, venue.timezone)} at the venue`)];

// ---- Words fans use: badges, medals, countries, athletes.
const statusClass = (s) => LIVE.has(s) ? 'live' : DONE.has(s) ? 'done' : '';
const badge = (s) => s && h('span', {cls:'b ' + statusClass(s)}, STATUS[s] || s.toLowerCase().replace('_', ' '));
const progressBadge = (p) => h('span', {cls:'b ' + (p === 'live' ? 'live' : p === 'finished' ? 'done' : '')}, PROG[p] || p);
const medalDot = (m) => m && h('span', {cls:'m ' + m, title:MEDAL[m]}, m[0], h('span', {cls:'sr'}, MEDAL[m].slice(1) + ' medal'));
let NOCS = load('ol:nocs') || {};
const nocName = (noc) => NOCS[noc]?.name || noc;
const flag = (noc) => h('span', {cls:'fl', 'aria-hidden':'true'}, NOCS[noc]?.flag || '');
// A short link shows the code and tells screen readers the name too (its accessible name starts with what is seen).
const nocLink = (noc, full) => noc && h('a', {cls: full ? 'noc full' : 'noc', href:'#/noc/' + noc}, flag(noc), full ? [nocName(noc), ' ', h('span', {cls:'d sn'}, noc)] : [noc, h('span', {cls:'sr'}, ' ' + nocName(noc))]);
const athLink = (id, name) => h('a', {href:'#/athlete/' + enc(id)}, name);
const eventLink = (code, name, unit) => h('a', {href:`#/event/${code}${unit ? '?unit=' + enc(unit) : ''}`}, name || code);
const rankText = (r) => r.rank == null ? '' : (r.rank_equal ? '=' : '') + r.rank;
const medalSort = (r) => r.medal ? Object.keys(MEDAL).indexOf(r.medal) : null;
const markText = (p) => p.irm ? h('abbr', {cls:'irm', title:IRM[p.irm]}, p.irm) : [p.rank ? ord(p.rank) : '', p.mark && p.rank ? ' · ' : '', p.mark || ''];
const decided = (d) => DECIDED[d] && [' ', h('abbr', {title:DECIDED[d][1]}, DECIDED[d][0])];
const lineOf = (e, unit) => (e.units || e.unit_lines || []).find((l) => l.unit === unit);
function load(key) { try { return JSON.parse(localStorage.getItem(key)); } catch { return null; } }
function keep(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* storage full or off: only a speed-up */ } }

// ---- Screen readers hear what changed in a sentence, at most one announcement every four seconds
// (later news replaces earlier news still waiting), and never the same sentence twice in a row.
let annAt = 0, annTimer = null, annNext = [], annSaid = '';
function announce(text) {
  if (!text) return;
  annNext = [...annNext, text].slice(-2);
  if (annTimer) return;
  annTimer = setTimeout(() => {
    annTimer = null; annAt = Date.now();
    const msg = annNext.join(' '); annNext = [];
    if (msg === annSaid) return;
    annSaid = msg; $('#live').textContent = msg;
  }, Math.max(200, annAt + 4000 - Date.now()));
}

// ---- The connection indicator never claims more than it knows: "Live" only while the socket answers
// its heartbeat, otherwise how old the data is; "Offline" with the time of the saved copy shown.
const conn = {state:'', at:0, saved:null};
function setConn(state, at) {
  if (state !== conn.state && (state === 'stale' || state === 'offline') && conn.state === 'live') announce(state === 'offline' ? 'You are offline: showing the last results received.' : 'Live updates interrupted: reconnecting.');
  conn.state = state; if (at) conn.at = at; showConn();
}
function showConn() {
  const el = $('#conn'); if (!el) return;
  const {state, at, saved} = conn, age = at ? ago(at) : '';
  el.dataset.state = state;
  el.textContent = saved && !navigator.onLine ? `Offline · saved ${fmtTime(saved)}` : state === 'live' ? `Live · updated ${age}` : state === 'stale' ? `Reconnecting · ${age ? 'updated ' + age : 'no data yet'}` : state === 'offline' ? 'Offline' : at ? `Updated ${age}` : '';
  document.body.classList.toggle('saved', !!saved);
}
setInterval(showConn, 1000);
addEventListener('offline', () => setConn('offline'));
addEventListener('online', () => { setConn(conn.state === 'offline' ? 'stale' : conn.state); refresh(); });

// ---- The API. A copy answered by the service worker while offline carries x-ol-saved (when it was saved).
class ApiError extends Error { constructor(p, status) { super(p.detail || `The server answered ${status}.`); this.title = p.title || 'Something went wrong'; this.status = status; } }
async function api(path, fresh) {
  let res, body = {};
  try { res = await fetch(path, {cache: fresh ? 'no-cache' : 'default'}); } catch { throw new ApiError({title:'No connection', detail:'The results server could not be reached. This page keeps trying.'}, 0); }
  try { body = await res.json(); } catch { /* not JSON */ }
  if (!res.ok) throw new ApiError(body, res.status);
  const saved = +res.headers.get('x-ol-saved') || null;
  conn.saved = saved; if (!saved && conn.state !== 'live' && conn.state !== 'stale') setConn('poll', Date.now()); else showConn();
  return body;
}
// Fetches until the answer is at least `target` (edge caches may briefly answer the version before).
async function atLeast(path, target, versionOf) {
  for (let i = 0; ; i++) {
    const b = await api(path, true);
    if (!(versionOf(b) < target) || i > 5) return b;
    await new Promise((r) => setTimeout(r, 800));
  }
}
async function loadNocs() {
  try { const b = await api('/v1/nocs'); NOCS = Object.fromEntries(b.nocs.map((n) => [n.noc, n])); keep('ol:nocs', NOCS); } catch { /* codes stay codes */ }
}
let events = null;
const loadEvents = async (fresh) => { events = (await api('/v1/events', fresh)).events; setGamesClock(events); return events; };
// One place per view for its error: a problem's title and detail, replaced rather than stacked.
const errSlot = () => { const el = h('div'); el.show = (e) => el.replaceChildren(...(e ? [h('div', {cls:'err', role:'alert'}, h('strong', {}, e.title || 'Error'), e.message)] : [])); return el; };

// ---- A live socket: a heartbeat (`ping`, answered `pong` by the runtime) every HEARTBEAT_MS; a pong
// missing PONG_MS later marks the data stale and reconnects (with ?since=, exponential backoff), and the
// view is polled while the socket is down.
const HEARTBEAT_MS = 10000, PONG_MS = 4000;
function liveSocket(path, onMessage, poll, pollMs = 5000) {
  let ws = null, tries = 0, retryT, pollT = null, beatT, pongT, stopped = false, since = null;
  function open() {
    clearTimeout(retryT);
    if (stopped || ws) return;
    try { ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}${since == null ? '' : '?since=' + since}`); } catch { ws = null; return down(); }
    ws.onopen = () => { beat(); };
    ws.onmessage = (e) => {
      clearTimeout(pongT); tries = 0; clearTimeout(pollT); pollT = null; setConn('live', Date.now());
      if (e.data === 'pong') return;
      let m; try { m = JSON.parse(e.data); } catch { return; }
      seen(m.version); onMessage(m);
    };
    ws.onclose = () => { ws = null; clearTimeout(beatT); clearTimeout(pongT); if (!stopped) down(); };
  }
  function beat() {
    clearTimeout(beatT);
    beatT = setTimeout(() => { if (ws?.readyState === 1) { ws.send('ping'); clearTimeout(pongT); pongT = setTimeout(lost, PONG_MS); } beat(); }, HEARTBEAT_MS);
  }
  // No pong: the socket may be dead without knowing it. Drop it and start again.
  function lost() { const w = ws; ws = null; clearTimeout(beatT); if (w) { w.onclose = null; w.onmessage = null; try { w.close(); } catch { /* already gone */ } } down(); }
  function down() {
    setConn(navigator.onLine === false ? 'offline' : 'stale');
    if (!pollT) { const tick = async () => { if (!document.hidden) try { await poll(); } catch { /* the view shows it */ } pollT = setTimeout(tick, document.hidden ? 30000 : pollMs); }; pollT = setTimeout(tick, 500); }
    retryT = setTimeout(open, Math.min(30000, 1000 * 2 ** tries++) * (0.75 + Math.random() / 2));
  }
  function wake() { if (stopped || document.hidden) return; if (!ws) { tries = 0; open(); } else if (ws.readyState === 1) { ws.send('ping'); clearTimeout(pongT); pongT = setTimeout(lost, PONG_MS); } }
  const seen = (v) => { if (typeof v === 'number') since = Math.max(since ?? 0, v); };
  document.addEventListener('visibilitychange', wake); addEventListener('online', wake);
  setConn('stale'); open();
  return {
    seen,
    resync() { since = null; tries = 0; lost(); },
    close() { stopped = true; [retryT, beatT, pongT, pollT].forEach(clearTimeout); document.removeEventListener('visibilitychange', wake); removeEventListener('online', wake); if (ws) { ws.onclose = null; ws.close(); } setConn(''); },
  };
}
// A live update's patch applied to the page it was made from (docs/API.md, "Patches"); null when `page`
// is not that page, and the socket then starts again from a snapshot.
function applyPatch(page, p) {
  if (!page || page.event_version !== p.base) return null;
  const rows = new Map(page.rows.map((r) => [r.competitor, r]));
  for (const r of p.rows) rows.set(r.competitor, r);
  if (!p.order.every((c) => rows.has(c))) return null;
  const tied = new Set(p.tied), {base, order, ranks, first_sort_order, rows: _, ...rest} = p;
  return {...rest, rows: order.map((c, i) => ({...rows.get(c), rank: ranks[i], rank_equal: tied.has(i), sort_order: first_sort_order + i}))};
}

// ---- Followed countries, kept on this device: their rows are highlighted everywhere.
const follow = new Set(load('ol:follow') || []);
function toggleFollow(noc) {
  follow.has(noc) ? follow.delete(noc) : follow.add(noc);
  keep('ol:follow', [...follow]);
  for (const tr of document.querySelectorAll('tr[data-noc]')) tr.classList.toggle('fol', follow.has(tr.dataset.noc));
  announce(follow.has(noc) ? `Following ${nocName(noc)}: its rows are highlighted.` : `Stopped following ${nocName(noc)}.`);
}

// ---- A table sortable by any column (aria-sort), exportable as CSV and JSON in the order shown. On a
// phone, a column with `into` collapses into that column's cell instead of being hidden.
// cols: {k key, l label, n numeric, rh row header, into host column (lab: with its label), x export only, auto hidden when empty,
//        v(row) text, c(row) content, s(row) sort value}
const sortState = {};
function table(spec) {
  const cols = spec.cols.filter((c) => !c.x), head = h('tr'), body = h('tbody'), foot = h('tfoot');
  const el = h('table', {id:spec.id}, h('caption', {cls:spec.sr && 'sr'}, spec.caption), h('thead', {}, head), body, foot);
  const cls = (c) => [c.n && 'n', c.into && 'cx', c.nw && 'nw', 'c-' + c.k].filter(Boolean).join(' ');
  let rows = [], prev = null, hidden = new Set();
  head.append(...cols.map((c) => h('th', {scope:'col', cls:cls(c)}, h('button', {type:'button', onclick: () => {
    const s = sortState[spec.id];
    sortState[spec.id] = {k:c.k, d: s?.k === c.k ? -s.d : 1}; header(); fill();
  }}, c.l))));
  function header() {
    const s = sortState[spec.id];
    cols.forEach((c, i) => { const th = head.children[i]; if (s?.k === c.k) th.setAttribute('aria-sort', s.d > 0 ? 'ascending' : 'descending'); else th.removeAttribute('aria-sort'); th.hidden = hidden.has(c.k); });
  }
  function sorted() {
    const s = sortState[spec.id], c = s && spec.cols.find((x) => x.k === s.k);
    if (!c) return rows;
    const val = c.s || c.v, empty = (x) => x == null || x === '';
    return rows.map((r, i) => [val(r), i, r]).sort((a, b) => empty(a[0]) || empty(b[0]) ? empty(a[0]) - empty(b[0]) || a[1] - b[1]
      : ((typeof a[0] === 'number' ? a[0] - b[0] : String(a[0]).localeCompare(b[0])) * s.d || a[1] - b[1])).map((x) => x[2]);
  }
  const cell = (c, r) => c.c ? c.c(r) : c.v(r);
  function fill() {
    const next = new Map(), shown = cols.filter((c) => !hidden.has(c.k));
    body.replaceChildren(...sorted().map((r) => {
      const key = spec.key(r), sig = spec.cols.map((c) => c.v(r)).join('|');
      next.set(key, sig);
      return h('tr', {'data-noc': r.noc, cls: [r.noc && follow.has(r.noc) && 'fol', prev && prev.get(key) !== sig && 'chg'].filter(Boolean).join(' ') || null},
        shown.map((c) => h(c.rh ? 'th' : 'td', {scope: c.rh && 'row', cls:cls(c)}, cell(c, r),
          shown.filter((x) => x.into === c.k).map((x) => { const v = cell(x, r); return v !== '' && v != null && h('span', {cls:'d sn'}, x.lab ? `${x.l} ${v}` : v); }))));
    }));
    if (!rows.length) body.append(h('tr', {}, h('td', {colspan:shown.length, cls:'empty'}, spec.empty)));
    prev = next;
  }
  const csv = (v) => { let s = v == null ? '' : String(v); if (/^[=@\t\r]/.test(s) || /^[+-](?![\d.:]+$)/.test(s)) s = "'" + s; return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };
  function save(ext, type, text) {
    const a = h('a', {href:URL.createObjectURL(new Blob([text], {type})), download:`${spec.file}.${ext}`});
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 9000);
  }
  const what = () => h('span', {cls:'sr'}, ' of ' + spec.caption);
  const tools = spec.file && h('div', {cls:'tools'}, 'Download',
    h('button', {type:'button', onclick: () => save('csv', 'text/csv', [spec.cols.map((c) => csv(c.l)), ...sorted().map((r) => spec.cols.map((c) => csv(c.v(r))))].map((l) => l.join(',')).join('\r\n') + '\r\n')}, 'CSV', what()),
    h('button', {type:'button', onclick: () => save('json', 'application/json', JSON.stringify(sorted(), null, 2))}, 'JSON', what()));
  header();
  return {
    el: h('div', {}, tools, el), table: el,
    update(r, f) { rows = r; hidden = new Set(cols.filter((c) => c.auto && !r.some(c.v)).map((c) => c.k)); header(); fill(); foot.replaceChildren(...(f ? [f] : [])); },
  };
}

// ---- Router: #/, #/schedule?day=, #/medals?order=&discipline=&gender=&day=, #/event/CODE?unit=, #/noc/NOC,
// #/nocs, #/athlete/ID, #/search?q=
// refresh: read the view's data again; repaint: draw what it holds again (names and flags came).
let cleanup = () => {}, gen = 0, first = true, refresh = () => {}, repaint = () => {};
function hashParts() {
  const [p, q = ''] = (location.hash.slice(1) || '/').split('?');
  return {parts: p.split('/').filter(Boolean).map((s) => { try { return decodeURIComponent(s); } catch { return s; } }), q: new URLSearchParams(q)};
}
function setQuery(q) {
  const s = [...q].filter(([, v]) => v).map(([k, v]) => `${k}=${enc(v)}`).join('&');
  history.replaceState(null, '', '#/' + hashParts().parts.map(enc).join('/') + (s && '?' + s));
}
function page(title, ...kids) {
  document.title = title + ' · Olympic Live';
  const h1 = h('h1', {tabindex:'-1'}, title);
  main.replaceChildren(h1, ...kids.flat().filter(Boolean));
  if (!first) h1.focus();
  return h1;
}
// A view's data, read again every `ms` while the page is visible, and when the network comes back.
function every(ms, fn) { fn(); const t = setInterval(() => document.hidden || fn(), ms); refresh = fn; return () => clearInterval(t); }
const VIEWS = {'': homeView, schedule: scheduleView, medals: medalsView, event: eventView, noc: nocView, nocs: nocsView, athlete: athleteView, search: searchView};
function route() {
  cleanup(); cleanup = () => {}; refresh = () => {}; repaint = () => {}; gen++;
  const {parts, q} = hashParts(), section = EMBED ? 'medals' : parts[0] || '';
  for (const a of document.querySelectorAll('nav a')) {
    const here = a.getAttribute('href') === '#/' + (section === 'noc' ? 'nocs' : section);
    if (here) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  if (section !== 'search' && $('#q')) $('#q').value = '';
  const view = VIEWS[section];
  if (view) view(parts, q, gen); else notFound('There is no such page.');
  first = false;
}
function notFound(why, more) {
  page('Page not found', h('p', {}, why, ' ', more), h('p', {}, 'Try the search box above, or go to ', h('a', {href:'#/'}, 'what is on now'), ', ', h('a', {href:'#/schedule'}, 'the schedule'), ' or ', h('a', {href:'#/medals'}, 'the medal table'), '.'));
}
const select = (label, name, value, options, onchange) => h('label', {}, label, h('select', {name, onchange}, options.map(([v, t]) => h('option', {value:v, selected: v === value}, t))));

// The day strip opens on the current day: scrolled sideways only (scrollIntoView would move the page too).
function centreDay(strip) {
  const on = strip.querySelector('[aria-current]');
  if (on) strip.scrollLeft = on.parentElement.offsetLeft - strip.offsetLeft - (strip.clientWidth - on.parentElement.offsetWidth) / 2;
}

// ---- #/  now: what is live, what is next (with countdowns), today's medals, and the days of the Games.
function homeView(_, q, g) {
  const meta = h('p', {cls:'meta'}, 'Loading…'), err = errSlot(), days = h('ul', {cls:'days', 'aria-label':'Days of the Games'});
  const liveL = h('div', {}, h('p', {cls:'empty'}, 'Loading…')), nextL = h('div'), medalsL = h('div');
  // The sections are added with the first data, below what is on screen, so nothing already shown moves.
  const body = h('div');
  page('Now', meta, err, body);
  const item = (e, u, extra) => h('li', {}, h('a', {href:`#/event/${e.code}?unit=${enc(u.unit)}`},
    h('span', {cls:'t'}, u.start_utc_ms != null ? fmtTime(u.start_utc_ms) : '—'),
    h('span', {}, h('span', {cls:'nm'}, e.name), h('span', {cls:'d'}, [lineOf(e, u.unit)?.name, e.venue?.name].filter(Boolean).join(' · '))), extra));
  function render(list) {
    if (g !== gen) return;
    if (!body.firstChild) body.append(h('h2', {}, 'Live now'), liveL, h('h2', {}, 'Next up'), nextL, h('h2', {}, "Today's medals"), medalsL, h('h2', {}, 'Days'), days);
    const t = now(), today = dayOf(t), units = list.flatMap((e) => (e.schedule || []).map((u) => [e, u, lineOf(e, u.unit)?.status]));
    const live = units.filter(([, , s]) => LIVE.has(s)), next = units.filter(([, u, s]) => (!s || s === 'START_LIST') && u.start_utc_ms >= t - 36e5)
      .sort((a, b) => a[1].start_utc_ms - b[1].start_utc_ms).slice(0, 6);
    meta.textContent = gamesClock ? `Replaying the Games: "now" is ${fmtDay(dayOf(t))}, ${fmtTime(t)}, the start of the latest unit with results.` : `${fmtDay(today)}, ${fmtTime(t)} your time (${TZ}).`;
    liveL.replaceChildren(live.length ? h('ul', {cls:'ev'}, live.map(([e, u, s]) => item(e, u, badge(s)))) : h('p', {cls:'empty'}, 'Nothing is live at the moment.'));
    nextL.replaceChildren(next.length ? h('ul', {cls:'ev'}, next.map(([e, u]) => item(e, u, h('span', {cls:'d'}, until(u.start_utc_ms))))) : h('p', {cls:'empty'}, 'Nothing else is scheduled.'));
    const won = list.filter((e) => e.medals?.length && (e.schedule || []).some((u) => u.unit === e.medal_unit && u.start_utc_ms != null && dayOf(u.start_utc_ms) === today));
    medalsL.replaceChildren(won.length ? h('ul', {cls:'ev'}, won.map((e) => h('li', {}, h('a', {href:'#/event/' + e.code}, h('span', {cls:'t'}, DISC[e.discipline]?.split(' ')[0] || ''),
      h('span', {}, h('span', {cls:'nm'}, e.name), e.medals.map((m) => h('span', {cls:'d'}, medalDot(m.medal), ' ', m.name, ' ', flag(m.noc), m.noc))), progressBadge(e.progress))))) : h('p', {cls:'empty'}, 'No medals yet today.'));
    const all = [...new Set(list.flatMap((e) => (e.schedule || []).filter((u) => u.start_utc_ms != null).map((u) => dayOf(u.start_utc_ms))))].sort();
    days.replaceChildren(...all.map((d) => h('li', {}, h('a', {href:`#/schedule?day=${d}`, 'aria-current': d === today && 'true'}, fmtDay(d, SHORT)))));
    centreDay(days);
  }
  cleanup = every(15000, () => loadEvents(true).then((l) => { err.show(); render(l); }, (e) => g === gen && err.show(e)));
}

// ---- #/schedule?day=  one day in the viewer's zone, read from the venue days that overlap it.
function scheduleView(_, q, g) {
  const days = h('ul', {cls:'days', 'aria-label':'Days'}), meta = h('p', {cls:'meta'}), err = errSlot();
  const tbl = table({id:'schedule', caption:'Schedule', key:(r) => r.event + r.unit, empty:'Nothing is scheduled on this day.', cols:[
    {k:'local', l:'Your time', nw:1, v:(r) => r.start_utc_ms == null ? '' : fmtTime(r.start_utc_ms), s:(r) => r.start_utc_ms},
    {k:'venue', l:'Venue time', nw:1, into:'local', v:(r) => r.start_utc_ms == null || !r.venue ? '' : `${fmtTime(r.start_utc_ms, r.venue.timezone)} ${zone(r.start_utc_ms, r.venue.timezone)}`},
    {k:'event', l:'Event', rh:1, v:(r) => r.event_name, c:(r) => [eventLink(r.event, r.event_name, r.unit), h('span', {cls:'d'}, [r.unit_name, DISC[r.discipline]].filter(Boolean).join(' · '))]},
    {k:'status', l:'Status', v:(r) => STATUS[r.status] || '', c:(r) => [badge(r.status), r.home && r.away && h('span', {cls:'d'}, `${r.home.noc} ${r.home.score ?? ''}–${r.away.score ?? ''} ${r.away.noc}`, decided(r.decided_in))]}]});
  page('Schedule', h('p', {cls:'sub'}, `Days and times in your time zone (${TZ}), with the venue's time beside them.`), days, meta, err, tbl.el);
  function show(list) {
    const all = [...new Set(list.flatMap((e) => (e.schedule || []).filter((u) => u.start_utc_ms != null).map((u) => dayOf(u.start_utc_ms))))].sort();
    const today = dayOf(now()), day = q.get('day') || (all.includes(today) ? today : all.find((d) => d > today) || all[all.length - 1]);
    if (g !== gen) return;
    days.replaceChildren(...all.map((d) => h('li', {}, h('a', {href:`#/schedule?day=${d}`, 'aria-current': d === day && 'true'}, fmtDay(d, SHORT)))));
    centreDay(days);
    if (!day) { meta.textContent = 'Nothing has been scheduled yet.'; return tbl.update([]); }
    tbl.table.querySelector('caption').textContent = 'Schedule for ' + fmtDay(day);
    const venueDays = [...new Set(list.flatMap((e) => (e.schedule || []).map((u) => u.day)))].filter((d) => d >= addDays(day, -1) && d <= addDays(day, 1));
    Promise.all(venueDays.map((d) => api(`/v1/schedule/${d}`, true))).then((bodies) => {
      if (g !== gen) return;
      const units = bodies.flatMap((b) => b.units).filter((u) => u.start_utc_ms != null && dayOf(u.start_utc_ms) === day).sort((a, b) => a.start_utc_ms - b.start_utc_ms);
      err.show(); tbl.update(units); meta.textContent = `${plural(units.length, 'unit')} on ${fmtDay(day)}.`;
    }, (e) => g === gen && err.show(e));
  }
  cleanup = every(30000, () => loadEvents(false).then(show, (e) => g === gen && err.show(e)));
}

// ---- #/medals  the medal table, live; the embeddable page shows only this.
function medalsView(_, q, g) {
  const filters = h('div', {cls:'filters', role:'group', 'aria-label':'Medal table options'}), meta = h('p', {cls:'meta'}), err = errSlot(), more = h('div');
  const count = (k, l) => ({k, l, n:1, v:(r) => r[k]});
  const tbl = table({id:'medals', sr:1, caption:'Medal table', file: !EMBED && 'medal-table', key:(r) => r.noc, empty:'No medals have been awarded yet.', cols:[
    {k:'rank', l:'Rank', n:1, v:rankText, s:(r) => r.rank}, {k:'noc', l:'Country', rh:1, v:(r) => r.name || nocName(r.noc), c:(r) => EMBED ? [flag(r.noc), r.name || nocName(r.noc)] : nocLink(r.noc, true)},
    count('gold', 'Gold'), count('silver', 'Silver'), count('bronze', 'Bronze'), count('total', 'Total'), {k:'code', l:'NOC', x:1, v:(r) => r.noc}]});
  tbl.el.classList.add('nar');
  page('Medal table', !EMBED && filters, meta, err, tbl.el, more);
  let version = -1, prevRows = null, all = false;
  const query = () => new URLSearchParams(['order', 'discipline', 'gender', 'day'].filter((k) => q.get(k)).map((k) => [k, q.get(k)]));
  const isDefault = () => !all && [...query()].every(([k, v]) => k === 'order' && v === 'gold');
  // The default table is the hot document; filters, another order or every row are API reads.
  const path = () => isDefault() ? '/v1/medals' : `/v1/medals?${query()}${query().toString() && '&'}limit=500`;
  const days = () => [...new Set((events || []).flatMap((e) => (e.schedule || []).map((u) => u.day)))].sort();
  function renderFilters() {
    if (EMBED) return;
    const set = (k) => (e) => { q.set(k, e.target.value); setQuery(q); version = -1; prevRows = null; renderFilters(); load(); };
    const order = q.get('order') === 'total' ? 'total' : 'gold', had = filters.contains(document.activeElement) && document.activeElement.name;
    filters.replaceChildren(h('div', {cls:'seg', role:'group', 'aria-label':'Order'}, [['gold', 'Gold first'], ['total', 'Total']].map(([v, t]) =>
      h('button', {type:'button', name:'order-' + v, 'aria-pressed': String(order === v), onclick: () => set('order')({target:{value:v}})}, t))),
      select('Sport', 'discipline', q.get('discipline') || '', [['', 'All'], ...Object.entries(DISC)], set('discipline')),
      select('Gender', 'gender', q.get('gender') || '', [['', 'All'], ...Object.entries(GEN)], set('gender')),
      select('Day', 'day', q.get('day') || '', [['', 'All days'], ...days().map((d) => [d, fmtDay(d, SHORT)])], set('day')));
    if (had) filters.querySelector(`[name="${had}"]`)?.focus();
  }
  function render(t, v) {
    if (g !== gen || v < version) return;
    if (prevRows && v > version) {
      const was = new Map(prevRows.map((r) => [r.noc, [r.gold, r.silver, r.bronze, prevRows.indexOf(r)]]));
      const moved = t.rows.filter((r, i) => String(was.get(r.noc)?.slice(0, 3)) !== String([r.gold, r.silver, r.bronze]));
      if (moved.length) announce(`Medal table: ${moved.slice(0, 2).map((r) => `${nocName(r.noc)} ${ord(r.rank)} with ${plural(r.gold, 'gold')}, ${r.silver} silver, ${r.bronze} bronze`).join('; ')}.`);
    }
    version = v; sock?.seen(v); err.show(); prevRows = t.rows;
    const sums = t.totals;
    repaint = () => tbl.update(t.rows, t.rows.length && h('tr', {}, h('th', {scope:'row', colspan:2}, 'All medals'), ['gold', 'silver', 'bronze', 'total'].map((k) => h('td', {cls:'n'}, sums[k]))));
    repaint();
    meta.textContent = `${plural(t.rows.length, 'country', 'countries')} with medals · ${plural(sums.total, 'medal')} · ${q.get('order') === 'total' ? 'ranked by total' : 'ranked by golds (IOC)'}`;
    if (t.total > t.rows.length && !all) more.replaceChildren(h('p', {}, h('button', {type:'button', onclick: () => { all = true; more.replaceChildren(); load(); }}, `Show all ${t.total}`)));
  }
  const load = (target = 0) => atLeast(path(), target, (b) => b.version).then((b) => render(b, b.version), (e) => { if (g === gen) err.show(e); throw e; });
  const sock = liveSocket('/v1/live/medals', (m) => {
    if (g !== gen || !m.table || m.version <= version) return;
    if (isDefault() && m.table.rows.length <= 50) render({...m.table, total: m.table.rows.length}, m.version); else load(m.version).catch(() => {});
  }, () => load(), 10000);
  renderFilters();
  if (!events) loadEvents(false).then(() => g === gen && renderFilters(), () => {});
  load().then(() => g === gen && !EMBED && more.after(embedSnippet()), () => {});
  cleanup = () => sock.close();
}
// The medal table for other sites: its own route (/embed/medals), the only page that may be framed.
function embedSnippet() {
  const code = `<iframe src="${location.origin}/embed/medals" title="Winter Olympics medal table" width="360" height="520" loading="lazy" style="border:0"></iframe>`;
  const out = h('p', {cls:'d', role:'status'});
  return h('section', {'aria-labelledby':'embed-h'}, h('h2', {id:'embed-h'}, 'Put this table on your site'),
    h('p', {cls:'sub'}, 'It updates live. Paste this where the table should appear:'), h('pre', {cls:'snip'}, h('code', {}, code)),
    h('button', {type:'button', onclick: () => navigator.clipboard?.writeText(code).then(() => { out.textContent = 'Copied.'; }, () => { out.textContent = 'Select the code above and copy it.'; })}, 'Copy the code'), out);
}

// ---- #/event/CODE?unit=  an event: results of a unit live, or for games the overview (play-off bracket,
// group standings, every game's score), a group's standings or one game.
function eventView(parts, q, g) {
  const code = (parts[1] || '').toUpperCase();
  const sub = h('p', {cls:'sub'}), picker = h('div', {cls:'filters'}), meta = h('p', {cls:'meta'}), err = errSlot(), area = h('div');
  const h1 = page(events?.find((e) => e.code === code)?.name || 'Event', h('p', {cls:'crumb'}, h('a', {href:'#/schedule'}, 'Schedule'), ' › ' + (DISC[code.slice(0, 3)] || 'Event')), sub, picker, meta, err, area);
  let summary = null, shown = null, tbl = null, kind = '', limit = 50, timer = null, held = null;
  const unit = () => q.get('unit') || '';
  const def = () => summary.definition;
  const fmtOf = (u) => { const p = def().phases.find((x) => x.code === u || x.units.includes(u)); return (p?.format || def().format).type; };
  const isGames = () => def().phases.some((p) => /round_robin|knockout/.test((p.format || def().format).type));
  const lines = () => summary.unit_lines || [];
  const nameOf = (u) => lines().find((l) => l.unit === u)?.name || u;
  const viewKind = () => !summary ? 'wait' : !unit() ? (isGames() ? 'overview' : 'results') : def().phases.some((p) => p.code === unit() && fmtOf(unit()) === 'round_robin') ? 'standings' : /round_robin|knockout/.test(fmtOf(unit())) ? 'game' : 'results';

  function renderSummary(s) {
    const old = summary; summary = s;
    const d = s.definition, dates = (d.schedule || []).map((u) => u.start_utc_ms).filter((x) => x != null).sort((a, b) => a - b);
    h1.textContent = d.name; document.title = d.name + ' · Olympic Live';
    sub.textContent = [DISC[code.slice(0, 3)], GEN[code[3]], d.venue?.name, dates.length && fmtDay(dayOf(dates[0]), SHORT) + (dayOf(dates[0]) !== dayOf(dates[dates.length - 1]) ? ' – ' + fmtDay(dayOf(dates[dates.length - 1]), SHORT) : '')].filter(Boolean).join(' · ');
    const had = picker.contains(document.activeElement);
    picker.replaceChildren(h('label', {}, 'Show', h('select', {name:'unit', onchange: (e) => { q.set('unit', e.target.value); setQuery(q); limit = 50; kind = ''; shown = null; show(); }},
      h('option', {value:'', selected: !unit()}, isGames() ? 'Overview' : 'Latest results'),
      d.phases.map((p) => h('optgroup', {label:p.name}, lines().filter((l) => l.unit === p.code || p.units.includes(l.unit)).map((l) =>
        h('option', {value:l.unit, selected: unit() === l.unit}, `${l.name}${l.status ? ' · ' + STATUS[l.status] : ''}`)))))));
    if (had) picker.querySelector('select').focus();
    if (old) describeGames(old, s);
  }
  // Scores that changed since the last summary, in words.
  function describeGames(a, b) {
    for (const l of b.unit_lines || []) {
      const o = (a.unit_lines || []).find((x) => x.unit === l.unit);
      if (!l.home || !l.away || l.home.score == null || (o && o.home?.score === l.home.score && o.away?.score === l.away.score && o.status === l.status)) continue;
      announce(`${l.name}: ${nocName(l.home.noc)} ${l.home.score}, ${nocName(l.away.noc)} ${l.away.score}${DONE.has(l.status) ? ', final' + (DECIDED[l.decided_in] ? ' ' + DECIDED[l.decided_in][1] : '') : ''}.`);
    }
  }
  function show() {
    if (g !== gen) return;
    const k = viewKind();
    if (k === 'overview') return overview();
    if (k === 'game') return gameCard();
    if (k === 'wait') return;
    loadBoard().catch(() => {});
  }
  const side = (t, cls) => h('span', {cls}, t ? [nocLink(t.noc), ' ', h('span', {cls:'ln'}, t.name)] : 'To be decided');
  function gameCard() {
    const l = lines().find((x) => x.unit === unit());
    kind = 'game'; meta.replaceChildren(badge(l?.status) || 'Not started yet');
    area.replaceChildren(h('div', {cls:'score', role:'group', 'aria-label':'Score'}, side(l?.home, 'a'), h('span', {}, h('b', {}, l?.home?.score ?? '–'), ' – ', h('b', {}, l?.away?.score ?? '–'), decided(l?.decided_in)), side(l?.away)),
      h('p', {}, h('a', {href:'#/event/' + code}, 'All games and the play-offs')));
  }
  // Games: the bracket drawn from results, each group's standings and its games.
  async function overview() {
    const groups = def().phases.filter((p) => fmtOf(p.code) === 'round_robin');
    const boards = await Promise.all(groups.map((p) => api(`/v1/events/${code}/leaderboard?unit=${p.code}&limit=50`, true).catch(() => null)));
    if (g !== gen || viewKind() !== 'overview') return;
    kind = 'overview'; meta.textContent = `${plural(lines().filter((l) => l.home && l.home.score != null).length, 'game')} played`;
    area.replaceChildren(...[bracket()].filter(Boolean), ...groups.map((p, i) => h('section', {}, h('h2', {}, p.name),
      boards[i] && standingsTable(p, boards[i]), games(p.units))),
      ...def().phases.filter((p) => fmtOf(p.code) === 'knockout').map((p) => h('section', {}, h('h2', {}, p.name), games(p.units))));
  }
  const games = (units) => h('ul', {cls:'games'}, units.map((u) => lines().find((l) => l.unit === u)).filter(Boolean).map((l) => h('li', {}, h('a', {href:`#/event/${code}?unit=${enc(l.unit)}`},
    h('span', {}, l.name, start(l.unit) != null && h('span', {cls:'d'}, fmtDay(dayOf(start(l.unit)), SHORT) + ', ' + fmtTime(start(l.unit)))),
    h('span', {cls:'n'}, l.home?.score != null ? [`${l.home.score}–${l.away.score}`, decided(l.decided_in), ' '] : '', badge(l.status))))));
  const start = (u) => def().schedule?.find((s) => s.unit === u)?.start_utc_ms;
  function standingsTable(p, pg) {
    const curling = p.format?.rules?.sport === 'curling', rec = (k, l, into) => ({k, l, n:1, into, lab:1, v:(r) => r.record?.[k]});
    const t = table({id:'st-' + p.code, caption:`${p.name} standings`, key:(r) => r.competitor, empty:'No games yet.', cols:[
      {k:'rank', l:'Rank', n:1, v:rankText, s:(r) => r.sort_order}, {k:'name', l:'Team', rh:1, v:(r) => r.name, c:(r) => nocLink(r.noc, true)},
      rec('played', 'GP'), rec('wins', 'W'), ...(curling ? [] : [rec('overtime_wins', 'OTW', 'wins'), rec('overtime_losses', 'OTL', 'losses')]), rec('losses', 'L'),
      rec('goals_for', curling ? 'PF' : 'GF', 'played'), rec('goals_against', curling ? 'PA' : 'GA', 'played'), curling ? rec('dsc_cm', 'DSC') : rec('points', 'Pts')]});
    t.update(pg.rows);
    return t.el;
  }
  function bracket() {
    const b = summary.bracket || [];
    if (!b.length) return null;
    const from = (f) => f.winner ? 'Winner of ' + nameOf(f.winner) : f.loser ? 'Loser of ' + nameOf(f.loser) : f.standing ? `${nameOf(f.standing.phase).replace(/ standings$/, '')}, ${ord(f.standing.rank)}` : '';
    const rounds = def().phases.filter((p) => b.some((x) => p.units.includes(x.unit)));
    return h('section', {'aria-labelledby':'bk-h'}, h('h2', {id:'bk-h'}, 'Play-offs'), h('div', {cls:'bk'}, rounds.map((p) => h('div', {cls:'rd'}, h('h3', {}, p.name),
      h('ol', {}, b.filter((x) => p.units.includes(x.unit)).map((x) => {
        const l = lines().find((y) => y.unit === x.unit) || {}, done = DONE.has(l.status), hs = l.home?.score, as = l.away?.score;
        const row = (s, t, sc, win) => h('span', {cls:'sd' + (win ? ' w' : '')}, t ? h('span', {}, flag(t.noc), ' ', nocName(t.noc)) : h('span', {cls:'tbd'}, from(s.from)), h('span', {}, sc ?? '', win ? h('span', {cls:'sr'}, ' (won)') : ''));
        return h('li', {cls:'gm'}, h('a', {href:`#/event/${code}?unit=${enc(x.unit)}`}, h('span', {cls:'sr'}, `${l.name || p.name}: `),
          row(x.home, l.home || (x.home.noc && x.home), hs, done && hs > as), row(x.away, l.away || (x.away.noc && x.away), as, done && as > hs), l.status && h('span', {cls:'sr'}, ', ' + STATUS[l.status])));
      }))))));
  }
  // Results of one unit (the default one from the hot document, or the one asked for), live.
  function columns(u) {
    const d = def(), type = fmtOf(u), p = d.phases.find((x) => x.units.includes(u));
    return [{k:'rank', l:'Rank', n:1, v:rankText, s:(r) => r.sort_order},
      (u === d.medal_unit || u === d.bronze_unit) && {k:'medal', l:'Medal', auto:1, v:(r) => MEDAL[r.medal] || '', s:medalSort, c:(r) => medalDot(r.medal)},
      {k:'name', l:'Name', rh:1, v:(r) => r.name, c:(r) => [athLink(r.competitor, r.name), r.detail && h('span', {cls:'d'}, r.detail)]},
      {k:'noc', l:'Country', into:'name', v:(r) => r.noc, c:(r) => nocLink(r.noc)},
      {k:'mark', l:'Result', n:1, v:(r) => r.irm || r.mark || '', s:(r) => r.sort_order, c:(r) => r.irm ? h('abbr', {cls:'irm', title:IRM[r.irm]}, r.irm) : r.mark},
      /^(lowest_time|sum_of_runs|time_plus_penalties)$/.test(type) && {k:'behind', l:'Behind', n:1, auto:1, into:'mark', v:(r) => r.behind || '', s:(r) => r.behind && r.sort_order},
      p?.advancement && {k:'q', l:'Q', auto:1, v:(r) => r.qualification || '', c:(r) => r.qualification && h('abbr', {cls:'b q', title: r.qualification === 'Q' ? 'Qualified by place' : 'Qualified by time'}, r.qualification)},
      {k:'id', l:'Competitor', x:1, v:(r) => r.competitor}, {k:'irm', l:'IRM', x:1, v:(r) => r.irm || ''}, {k:'detail', l:'Detail', x:1, v:(r) => r.detail || ''}].filter(Boolean);
  }
  // What changed, in a fan's words: a new leader and the margin, a new finisher's place, a followed
  // country's athlete, the status.
  function describe(a, b) {
    if (!a || a.unit !== b.unit || b.event_version <= a.event_version) return '';
    const before = new Map(a.rows.map((r) => [r.competitor, r])), notes = [], who = (r) => r.name;
    const lead = b.rows.find((r) => r.rank === 1), old = a.rows.find((r) => r.rank === 1);
    if (lead && lead.competitor !== old?.competitor) {
      const second = b.rows.find((r) => r.rank === 2);
      notes.push(`${who(lead)} (${nocName(lead.noc)}) takes the lead${lead.mark ? ' in ' + lead.mark : ''}${second?.behind ? `, ${second.behind.slice(1)} ahead of ${who(second)}` : ''}.`);
    }
    for (const r of b.rows) {
      const p = before.get(r.competitor);
      if (notes.length > 1 || r === lead || (p && p.rank === r.rank && p.mark === r.mark && p.irm === r.irm)) continue;
      if (r.irm && p?.irm !== r.irm) notes.push(`${who(r)}: ${IRM[r.irm]?.toLowerCase() || r.irm}.`);
      else if (r.rank && (!p || !p.mark) && r.mark) notes.push(`${who(r)} finishes ${ord(r.rank)}${r.behind ? ', ' + r.behind : ''}.`);
      else if (follow.has(r.noc) && r.rank && p?.rank) notes.push(`${who(r)} moves to ${ord(r.rank)}.`);
    }
    if (a.status !== b.status && DONE.has(b.status)) notes.push(`Results are ${STATUS[b.status].toLowerCase()}.`);
    return notes.join(' ');
  }
  function render(pg) {
    if (g !== gen || viewKind() !== 'results') return;
    if (shown && pg.unit === shown.unit && pg.event_version < shown.event_version) return;
    const cols = columns(pg.unit), k = pg.unit + cols.map((c) => c.k).join();
    if (k !== kind) {
      kind = k;
      tbl = table({id:'lb', sr:1, caption:`${def().name}: ${nameOf(pg.unit)}`, file:`${code}-${pg.unit}`, cols, key:(r) => r.competitor, empty: pg.status === 'START_LIST' ? 'No results yet.' : 'Nothing to show.'});
      area.replaceChildren(tbl.el);
    }
    announce(describe(shown, pg));
    shown = pg; sock.seen(pg.event_version); err.show();
    tbl.update(pg.rows);
    meta.replaceChildren(nameOf(pg.unit), ' ', badge(pg.status), ` · ${plural(pg.total, 'entry', 'entries')}`);
    area.querySelector('.more')?.remove();
    if (pg.total > pg.rows.length) area.append(h('p', {cls:'more'}, h('button', {type:'button', onclick: () => { limit = 500; loadBoard(); }}, `Show all ${pg.total}`)));
  }
  // The hot document for the default unit's first page; the API for another unit or more rows.
  const boardPath = () => !unit() && limit === 50 ? `/v1/events/${code}/leaderboard` : `/v1/events/${code}/leaderboard?${unit() ? 'unit=' + enc(unit()) + '&' : ''}limit=${limit}`;
  const loadBoard = (target = 0) => atLeast(boardPath(), target, (b) => b.event_version).then(render, (e) => { if (g === gen) err.show(e); throw e; });
  const loadSummary = () => api(`/v1/events/${code}`, true).then((s) => { if (g !== gen) return; renderSummary(s); if (kind === '' || viewKind() !== 'results') show(); }, (e) => {
    if (g !== gen) return;
    if (e.status === 404 || e.status === 400) { sock.close(); notFound(`There is no event with the code ${code}.`, 'It may not be on the programme yet.'); } else err.show(e);
  });
  const later = () => { timer ||= setTimeout(() => { timer = null; loadSummary(); }, 1500); };
  const sock = liveSocket(`/v1/events/${code}/live`, (m) => {
    let lb = m.leaderboard;
    if (m.patch) { lb = applyPatch(held, m.patch); if (!lb) return sock.resync(); }
    if (lb) held = lb;
    if (g !== gen || !summary) return;
    later();
    // The socket carries the first 100 rows of the default unit; anything else is fetched.
    if (viewKind() === 'results' && lb && (!unit() || unit() === lb.unit) && limit <= 100) render(lb); else if (viewKind() === 'results') loadBoard(m.version).catch(() => {});
  }, () => loadSummary().then(() => viewKind() === 'results' && loadBoard()));
  loadSummary().then(() => summary && viewKind() === 'results' && kind === '' && loadBoard().catch(() => {}));
  cleanup = () => { sock.close(); clearTimeout(timer); };
}

// ---- #/noc/NOC  a country: medals, athletes, entries, and the follow switch.
function nocView(parts, q, g) {
  const noc = (parts[1] || '').toUpperCase(), cards = h('div', {cls:'cards'}), meta = h('p', {cls:'meta'}), err = errSlot(), rest = h('div');
  const label = () => follow.has(noc) ? '★ Following' : '☆ Follow';
  const btn = h('button', {type:'button', 'aria-pressed': String(follow.has(noc)), onclick: () => { toggleFollow(noc); btn.setAttribute('aria-pressed', String(follow.has(noc))); btn.textContent = label(); }}, label());
  const h1 = page(nocName(noc), h('p', {cls:'crumb'}, h('a', {href:'#/nocs'}, 'Countries'), ' › ' + noc), h('p', {}, btn, ' ', h('span', {cls:'sub'}, 'Followed countries are highlighted in every table.')), cards, meta, err, rest);
  const medals = table({id:'noc-medals', caption:'Medals', file:`${noc}-medals`, key:(r) => r.event + r.competitor + r.medal, empty:'No medals yet.', cols:[
    {k:'medal', l:'Medal', v:(r) => MEDAL[r.medal], s:medalSort, c:(r) => medalDot(r.medal)},
    {k:'name', l:'Athlete or team', rh:1, v:(r) => r.name, c:(r) => [athLink(r.competitor, r.name), r.members?.length && h('span', {cls:'d'}, r.members.map((m) => m.name).join(', '))]},
    {k:'event', l:'Event', v:(r) => r.event, c:(r) => eventLink(r.event, events?.find((e) => e.code === r.event)?.name)}]});
  const athletes = table({id:'noc-athletes', caption:'Athletes', key:(r) => r.competitor, empty:'No athletes entered yet.', cols:[
    {k:'name', l:'Athlete', rh:1, v:(r) => r.name, c:(r) => athLink(r.competitor, r.name)}, {k:'events', l:'Events', n:1, v:(r) => r.events},
    {k:'medals', l:'Medals', n:1, v:(r) => r.medals.total, c:(r) => ['gold', 'silver', 'bronze'].flatMap((m) => Array(r.medals[m]).fill(medalDot(m.toUpperCase())))}]});
  const entries = table({id:'noc-entries', caption:'Entries', key:(r) => r.event + r.competitor, empty:'No entries yet.', cols:[
    {k:'event', l:'Event', rh:1, v:(r) => r.event_name, c:(r) => eventLink(r.event, r.event_name)},
    {k:'who', l:'Athlete or team', v:(r) => r.name, c:(r) => r.kind === 'team' ? r.name : athLink(r.competitor, r.name)},
    {k:'result', l:'Result', v:(r) => r.result ? r.result.rank ?? r.result.irm ?? '' : '', c:(r) => r.result && [markText(r.result), h('span', {cls:'d'}, r.result.unit_name, ' ', badge(r.result.status))]}]});
  rest.append(medals.el, athletes.el, entries.el);
  cleanup = every(30000, () => api(`/v1/nocs/${enc(noc)}`).then((b) => {
    if (g !== gen) return;
    const s = b.standing || {}; err.show();
    h1.replaceChildren(flag(noc), ' ', b.name); document.title = b.name + ' · Olympic Live';
    cards.replaceChildren(...[['Rank', s.rank ? rankText(s) : '—'], ['Gold', s.gold], ['Silver', s.silver], ['Bronze', s.bronze], ['Total', s.total]].map(([l, v]) => h('div', {}, h('b', {}, v ?? 0), l)));
    meta.textContent = `${s.rank ? `${ord(s.rank)}${s.rank_equal ? ' (shared)' : ''} in the medal table` : 'No medals yet'} · ${plural(b.athletes.length, 'athlete')} in ${plural(new Set(b.entries.map((e) => e.event)).size, 'event')}.`;
    medals.update(b.medals); athletes.update(b.athletes); entries.update(b.entries);
  }, (e) => { if (g === gen) { if (e.status === 400) notFound(`${noc} is not a country code.`); else err.show(e); } }));
}

// ---- #/nocs  every country taking part.
function nocsView(_, q, g) {
  const meta = h('p', {cls:'meta'}), err = errSlot();
  const tbl = table({id:'nocs', caption:'Countries', sr:1, file:'countries', key:(r) => r.noc, empty:'No country has entered yet.', cols:[
    {k:'name', l:'Country', rh:1, v:(r) => r.name, c:(r) => nocLink(r.noc, true)}, {k:'athletes', l:'Athletes', n:1, into:'name', lab:1, v:(r) => r.athletes},
    {k:'events', l:'Events', n:1, into:'name', lab:1, v:(r) => r.events}, ...['gold', 'silver', 'bronze'].map((k) => ({k, l:k[0].toUpperCase() + k.slice(1), n:1, into:'total', lab:1, v:(r) => r[k]})), {k:'total', l:'Medals', n:1, v:(r) => r.total}, {k:'code', l:'NOC', x:1, v:(r) => r.noc}]});
  page('Countries', meta, err, tbl.el);
  cleanup = every(30000, () => api('/v1/nocs').then((b) => { if (g !== gen) return; err.show(); NOCS = Object.fromEntries(b.nocs.map((n) => [n.noc, n])); tbl.update(b.nocs); meta.textContent = `${plural(b.nocs.length, 'country', 'countries')} taking part.`; }, (e) => g === gen && err.show(e)));
}

// ---- #/athlete/ID  an athlete: results in every event, medals, and the next unit they are due in.
function athleteView(parts, q, g) {
  const id = parts[1] || '', meta = h('p', {cls:'meta'}), err = errSlot(), nextP = h('div'), crumb = h('p', {cls:'crumb'});
  const results = table({id:'ath', caption:'Results', file:`${id}-results`, key:(r) => r.event + r.unit, empty:'No results yet.', cols:[
    {k:'event', l:'Event', rh:1, v:(r) => r.event_name, c:(r) => [eventLink(r.event, r.event_name, r.unit), h('span', {cls:'d'}, [r.unit_name, r.team && 'with ' + r.team.name].filter(Boolean).join(' · '))]},
    {k:'result', l:'Result', n:1, v:(r) => r.rank ?? r.irm ?? '', c:(r) => markText(r)}, {k:'status', l:'Status', into:'result', v:(r) => STATUS[r.status] || '', c:(r) => badge(r.status)}]});
  const h1 = page('Athlete', crumb, meta, err, nextP, results.el);
  cleanup = every(30000, () => api(`/v1/athletes/${enc(id)}`).then((b) => {
    if (g !== gen) return;
    err.show(); h1.textContent = b.name || id; document.title = (b.name || id) + ' · Olympic Live';
    crumb.replaceChildren(b.noc ? nocLink(b.noc, true) : '');
    const medals = b.medals.map((m) => [medalDot(m.medal), ' ', events?.find((e) => e.code === m.event)?.name || m.event]);
    meta.replaceChildren(`${plural(b.events.length, 'event')}`, medals.length ? ' · ' : '', ...medals.flatMap((m, i) => [i ? ', ' : '', m]));
    const n = b.next;
    nextP.replaceChildren(h('h2', {}, 'Next'), n ? h('p', {}, eventLink(n.event, n.event_name, n.unit), n.unit_name ? ` · ${n.unit_name}` : '', h('span', {cls:'d'}, n.start_utc_ms != null ? [fmtDay(dayOf(n.start_utc_ms)), ', ', when(n.start_utc_ms, n.venue), ' · ', until(n.start_utc_ms)] : fmtDay(n.day)))
      : h('p', {cls:'empty'}, 'Nothing more scheduled.'));
    results.update(b.events.flatMap((e) => (e.results.length ? e.results : [{unit:''}]).map((r) => ({...r, event:e.event, event_name:e.event_name, team:e.team}))));
  }, (e) => { if (g !== gen) return; if (e.status === 404 || e.status === 400) notFound('No athlete has that id.', 'The link may be wrong, or the athlete is not entered yet.'); else err.show(e); }));
}

// ---- #/search?q=  athletes, countries and events from one box.
function searchView(_, q, g) {
  const text = q.get('q') || '', meta = h('p', {cls:'meta', role:'status'}), err = errSlot(), out = h('div');
  page('Search', meta, err, out);
  if ($('#q') && $('#q').value !== text) $('#q').value = text;
  if (text.trim().length < 2) { meta.textContent = 'Type at least two letters.'; return; }
  api(`/v1/search?q=${enc(text.trim())}`).then((b) => {
    if (g !== gen) return;
    const list = (title, items, item) => items.length ? [h('h2', {}, title), h('ul', {}, items.map((x) => h('li', {}, item(x))))] : [];
    out.replaceChildren(...list('Athletes', b.athletes, (a) => [athLink(a.competitor, a.name), ' ', nocLink(a.noc)]), ...list('Countries', b.nocs, (n) => nocLink(n.noc, true)),
      ...list('Events', b.events, (e) => [eventLink(e.code, e.name), ' ', progressBadge(e.progress)]));
    const total = b.athletes.length + b.nocs.length + b.events.length;
    meta.textContent = total ? `${plural(b.athletes.length, 'athlete')}, ${plural(b.nocs.length, 'country', 'countries')}, ${plural(b.events.length, 'event')} match “${text}”.` : `Nothing matches “${text}”.`;
  }, (e) => g === gen && err.show(e));
}

// ---- Start: names and flags, the theme switch, the search box, the service worker, the first view.
if (!EMBED) {
  $('#tzname').textContent = TZ;
  const THEMES = ['auto', 'light', 'dark'], themeBtn = $('#theme');
  const setTheme = (t) => { if (t === 'auto') delete document.documentElement.dataset.theme; else document.documentElement.dataset.theme = t; themeBtn.textContent = `Theme: ${t[0].toUpperCase() + t.slice(1)}`; };
  setTheme(document.documentElement.dataset.theme || 'auto');
  themeBtn.addEventListener('click', () => { const t = THEMES[(THEMES.indexOf(document.documentElement.dataset.theme || 'auto') + 1) % 3]; setTheme(t); keep('ol:theme', t); announce(`Theme: ${t === 'auto' ? 'as your system' : t}.`); });
  let searchT;
  const find = () => { const v = $('#q').value.trim(); if (v.length >= 2) { const target = `#/search?q=${enc(v)}`; if (location.hash.startsWith('#/search')) { history.replaceState(null, '', target); route(); } else location.hash = target; } };
  $('#q').addEventListener('input', () => { clearTimeout(searchT); searchT = setTimeout(find, 350); });
  $('#find').addEventListener('submit', (e) => { e.preventDefault(); clearTimeout(searchT); find(); });
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => { /* no offline copy, nothing else lost */ });
}
// Names and flags arrive after the first paint on a first visit: the view shows them at once.
loadNocs().then(() => { repaint(); refresh(); });
addEventListener('hashchange', route);
route();
