// The operators' console: fetches /v1/admin/stats every few seconds and draws it. Every value goes in
// through textContent or an SVG attribute, never as markup: feed names and errors come from outside.
'use strict';

const REFRESH_MS = 5000;
const SVG = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const [text, className] of cells) tr.appendChild(el('td', text, className));
  return tr;
}

function fill(tableId, rows, emptyText, columns) {
  const body = $(tableId).tBodies[0];
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = el('td', emptyText, 'empty');
    td.colSpan = columns;
    tr.appendChild(td);
    body.appendChild(tr);
    return;
  }
  for (const cells of rows) body.appendChild(row(cells));
}

function ms(value) {
  if (value >= 60000) return `${(value / 60000).toFixed(1)} min`;
  if (value >= 1000) return `${(value / 1000).toFixed(1)} s`;
  return `${value} ms`;
}

function ago(atMs, nowMs) {
  if (atMs === null || atMs === undefined) return 'not in this window';
  const seconds = Math.max(0, Math.round((nowMs - atMs) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  return `${(seconds / 3600).toFixed(1)} h ago`;
}

// A bar chart: one bar per [label, value], with the largest value written on the axis.
function bars(figureId, points, describe) {
  const figure = $(figureId);
  figure.replaceChildren();
  if (points.length === 0) {
    figure.appendChild(el('p', 'Nothing in this window.', 'empty'));
    return;
  }
  const max = Math.max(1, ...points.map(([, value]) => value));
  const width = 600;
  const height = 140;
  const step = width / points.length;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', describe(points, max));
  points.forEach(([label, value], i) => {
    const rect = document.createElementNS(SVG, 'rect');
    const h = Math.max(1, (value / max) * (height - 14));
    rect.setAttribute('x', String(i * step + step * 0.1));
    rect.setAttribute('width', String(Math.max(1, step * 0.8)));
    rect.setAttribute('y', String(height - h));
    rect.setAttribute('height', String(h));
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${label}: ${value}`;
    rect.appendChild(title);
    svg.appendChild(rect);
  });
  const top = document.createElementNS(SVG, 'text');
  top.setAttribute('x', '2');
  top.setAttribute('y', '10');
  top.textContent = `max ${max}`;
  svg.appendChild(top);
  figure.appendChild(svg);
}

function drawUpdates(stats) {
  const perMinute = new Map();
  const perEvent = new Map();
  for (const { event, minute_ms: minute, count } of stats.updates) {
    perMinute.set(minute, (perMinute.get(minute) || 0) + count);
    perEvent.set(event, (perEvent.get(event) || 0) + count);
  }
  const first = stats.to_ms - stats.minutes * 60000;
  const points = [];
  for (let m = first - (first % 60000); m <= stats.to_ms; m += 60000) {
    points.push([new Date(m).toISOString().slice(11, 16), perMinute.get(m) || 0]);
  }
  bars('updates-chart', points, (p, max) => `Updates per minute over ${p.length} minutes, at most ${max}`);
  const busiest = [...perEvent.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
  fill('updates-table', busiest.map(([event, count]) => [[event], [count, 'n']]), 'No updates in this window.', 2);
}

function drawFeeds(stats) {
  const rows = stats.feeds.map((feed) => {
    const refused = feed.refused.map((r) => `${r.problem} × ${r.count}`).join(', ');
    return [[feed.feed], [feed.applied, 'n'], [ago(feed.last_applied_ms, stats.to_ms)], [refused || '—', refused ? 'warn' : '']];
  });
  fill('feeds-table', rows, 'No feed has sent anything in this window.', 4);
}

function drawLateness(stats) {
  bars('lateness-chart', stats.lateness.map((l) => [l.feed, l.p99_ms]), (p, max) => `p99 lateness per feed, at most ${ms(max)}`);
  fill('lateness-table', stats.lateness.map((l) => [
    [l.feed], [l.count, 'n'], [ms(l.p50_ms), 'n'], [ms(l.p95_ms), 'n'], [ms(l.p99_ms), 'n'], [ms(l.max_ms), 'n'],
  ]), 'No change carried its send time in this window.', 6);
}

function drawTraffic(stats) {
  const reads = [...stats.reads].sort((a, b) => b.count - a.count);
  bars('traffic-chart', reads.slice(0, 20).map((r) => [`${r.route} ${r.status} ${r.cache}`, r.count]), (p, max) => `Requests per route, at most ${max}`);
  fill('traffic-table', reads.map((r) => [[r.route], [r.status, r.status >= 400 ? 'n warn' : 'n'], [r.cache], [r.count, 'n']]), 'No reads reported in this window.', 4);
}

async function drawDeadLetters() {
  const response = await fetch('/v1/admin/dead-letters?limit=50', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`dead letters: ${response.status}`);
  const { dead_letters: letters } = await response.json();
  fill('dead-table', letters.map((d) => [
    [d.id, 'n'], [d.queue], [d.event ? `${d.event} v${d.event_version}` : '—'], [d.error, 'warn'],
    [new Date(d.failed_at_ms).toISOString().replace('T', ' ').slice(0, 19)],
    [d.replayed_at_ms ? new Date(d.replayed_at_ms).toISOString().replace('T', ' ').slice(0, 19) : 'pending'],
  ]), 'No dead letters.', 6);
}

let lastSuccess = 0;

async function refresh() {
  const minutes = $('window').value;
  try {
    const response = await fetch(`/v1/admin/stats?minutes=${encodeURIComponent(minutes)}`, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`stats: ${response.status}`);
    const stats = await response.json();
    drawUpdates(stats);
    drawFeeds(stats);
    drawLateness(stats);
    drawTraffic(stats);
    $('dead-totals').textContent = `${stats.dead_letters.pending} pending, ${stats.dead_letters.replayed} replayed`;
    $('replay-all').disabled = stats.dead_letters.pending === 0;
    await drawDeadLetters();
    lastSuccess = Date.now();
    $('status').textContent = `Updated ${new Date(lastSuccess).toLocaleTimeString()}`;
    $('status').className = '';
    document.body.dataset.loaded = 'true';
  } catch (error) {
    $('status').textContent = `Refresh failed (${error.message}); last good data ${lastSuccess ? ago(lastSuccess, Date.now()) : 'never'}`;
    $('status').className = 'stale';
  }
}

async function replayAll() {
  $('replay-all').disabled = true;
  const response = await fetch('/v1/admin/dead-letters/replay', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ids":[]}',
  });
  $('status').textContent = response.ok
    ? `Replayed ${(await response.json()).replayed.length} dead letters`
    : `Replay refused: ${response.status}`;
  await refresh();
}

document.addEventListener('DOMContentLoaded', () => {
  $('window').addEventListener('change', refresh);
  $('replay-all').addEventListener('click', replayAll);
  refresh();
  setInterval(refresh, REFRESH_MS);
});
