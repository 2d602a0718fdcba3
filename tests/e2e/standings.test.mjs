// The Games-wide views: events list, medal table (ties, corrections), NOCs, athletes, schedule in a
// caller's time zone, live medals, and the OpenAPI document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { useStack, ingest, read, eventually } from './harness.mjs';

const stack = useStack();
const START = Date.UTC(2026, 1, 7, 10, 30); // 11:30 in Bormio, 05:30 in New York

function definition(code, name, athletes, day = '2026-02-07') {
  return {
    code,
    name,
    format: { type: 'lowest_time', precision: 'hundredths' },
    phases: [{ code: 'FNL', name: 'Final', units: ['FNL'] }],
    medal_unit: 'FNL',
    venue: { name: 'Stelvio, Bormio', timezone: 'Europe/Rome' },
    schedule: [{ unit: 'FNL', day, start_utc_ms: START }],
    participants: athletes.map(([id, noc]) => ({ id, name: `Athlete ${id}`, noc, kind: 'athlete' })),
  };
}

function results(version, status, times, extra = {}) {
  return {
    message_id: `m-${version}`,
    unit: 'FNL',
    version,
    status,
    entries: times.map(([id, noc, time_ms, irm]) => ({ competitor: id, name: `Athlete ${id}`, noc, ...(time_ms ? { mark: { kind: 'time', time_ms } } : {}), ...(irm ? { irm } : {}) })),
    ...extra,
  };
}

const MEN = [['AAS', 'NOR'], ['BECK', 'SUI'], ['CARL', 'AUT'], ['DANE', 'NOR']];
const WOMEN = [['EVA', 'NOR'], ['FAY', 'USA'], ['GINA', 'SUI']];

async function medalTable(query = '') {
  const res = await read(stack, `/v1/medals${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

test('events are listed and filtered once defined', async () => {
  for (const [code, name, who] of [['ALPMDOWNHILL', "Men's Downhill", MEN], ['ALPWDOWNHILL', "Women's Downhill", WOMEN]]) {
    assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${code}`, definition(code, name, who))).status, 201);
  }
  const all = await eventually(async () => {
    const res = await read(stack, '/v1/events');
    return res.body.total === 2 ? res.body : null;
  });
  assert.deepEqual(all.events.map((e) => [e.code, e.progress]), [['ALPMDOWNHILL', 'scheduled'], ['ALPWDOWNHILL', 'scheduled']]);
  const women = await read(stack, '/v1/events?gender=W&discipline=ALP&sport=SKIING&day=2026-02-07');
  assert.deepEqual(women.body.events.map((e) => e.code), ['ALPWDOWNHILL']);
  assert.equal((await read(stack, '/v1/events?day=2026-02-08')).body.total, 0);
  for (const [query, field] of [['gender=F', 'gender'], ['status=over', 'status'], ['day=7.2.2026', 'day'], ['colour=red', 'colour']]) {
    const res = await read(stack, `/v1/events?${query}`);
    assert.equal(res.status, 400, query);
    assert.equal(res.body.field, field, query);
  }
});

test('OFFICIAL results award medals; a tie for gold gives two golds and no silver', async () => {
  // Men: AAS and BECK tie at 1/100 s (thousandths differ), CARL third, DANE DNF.
  const men = results(1, 'OFFICIAL', [['AAS', 'NOR', 103_214], ['BECK', 'SUI', 103_219], ['CARL', 'AUT', 104_000], ['DANE', 'NOR', null, 'DNF']]);
  assert.equal((await ingest(stack, 'POST', '/v1/ingest/events/ALPMDOWNHILL/results', men)).status, 201);
  const women = results(1, 'OFFICIAL', [['EVA', 'NOR', 101_000], ['FAY', 'USA', 101_500], ['GINA', 'SUI', 102_000]]);
  assert.equal((await ingest(stack, 'POST', '/v1/ingest/events/ALPWDOWNHILL/results', women)).status, 201);

  const table = await eventually(async () => {
    const t = await medalTable();
    return t.totals.total === 6 ? t : null;
  });
  assert.ok(table, 'six medals: two golds and a bronze for the men, three for the women');
  assert.deepEqual(table.totals, { gold: 3, silver: 1, bronze: 2, total: 6 });
  assert.deepEqual(table.rows.map((r) => [r.rank, r.noc, r.gold, r.silver, r.bronze]), [
    [1, 'NOR', 2, 0, 0],
    [2, 'SUI', 1, 0, 1],
    [3, 'USA', 0, 1, 0],
    [4, 'AUT', 0, 0, 1],
  ]);
  const byTotal = await medalTable('?order=total');
  assert.deepEqual(byTotal.rows.map((r) => r.noc), ['NOR', 'SUI', 'AUT', 'USA'].sort((a, b) => {
    const total = { NOR: 2, SUI: 2, USA: 1, AUT: 1 };
    const gold = { NOR: 2, SUI: 1, USA: 0, AUT: 0 };
    const silver = { NOR: 0, SUI: 0, USA: 1, AUT: 0 };
    return total[b] - total[a] || gold[b] - gold[a] || silver[b] - silver[a] || a.localeCompare(b);
  }));
  const womenTable = await medalTable("?gender=W");
  assert.deepEqual(womenTable.totals, { gold: 1, silver: 1, bronze: 1, total: 3 });
  const events = await eventually(async () => {
    const res = await read(stack, '/v1/events?status=finished');
    return res.body.total === 2 ? res.body : null;
  });
  assert.ok(events, 'both events are finished');
});

test('a disqualification after OFFICIAL reallocates the medals', async () => {
  const corrected = results(2, 'OFFICIAL', [['EVA', 'NOR', 101_000, 'DSQ'], ['FAY', 'USA', 101_500], ['GINA', 'SUI', 102_000]], { note: 'EVA disqualified: suit' });
  const res = await ingest(stack, 'POST', '/v1/ingest/events/ALPWDOWNHILL/results', corrected);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const table = await eventually(async () => {
    const t = await medalTable('?gender=W');
    return t.rows.some((r) => r.noc === 'USA' && r.gold === 1) ? t : null;
  });
  assert.ok(table, 'FAY moved up to gold');
  assert.deepEqual(table.totals, { gold: 1, silver: 1, bronze: 0, total: 2 });
  const nor = await eventually(async () => {
    const r = await read(stack, '/v1/nocs/NOR');
    return r.body.standing?.gold === 1 ? r : null;
  });
  assert.ok(nor, "NOR keeps AAS's gold and loses EVA's");
  assert.deepEqual(nor.body.medals.map((m) => [m.competitor, m.medal]), [['AAS', 'GOLD']]);
  const fay = await read(stack, '/v1/athletes/FAY');
  assert.equal(fay.status, 200);
  assert.deepEqual(fay.body.medals.map((m) => m.medal), ['GOLD']);
  assert.equal((await read(stack, '/v1/athletes/NOBODY')).status, 404);
  assert.equal((await read(stack, '/v1/nocs/norway')).status, 400);
});

test('the schedule is given in the caller\'s time zone with venue time beside it', async () => {
  const res = await read(stack, '/v1/schedule?day=2026-02-07&tz=America/New_York');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.units.length, 2);
  const [first] = res.body.units;
  const fmt = (tz) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(START)).replace(',', '');
  assert.equal(first.start_local, fmt('America/New_York'));
  assert.equal(first.start_venue, fmt('Europe/Rome'));
  assert.equal(first.start_utc, new Date(START).toISOString());
  const bad = await read(stack, '/v1/schedule?tz=Mars/Olympus');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'tz');
});

test('medal viewers get a snapshot, then the table after each medal change', async () => {
  const socket = new WebSocket(`${stack.readUrl.replace('http', 'ws')}/v1/live/medals`);
  const messages = [];
  socket.on('message', (d) => messages.push(JSON.parse(d.toString())));
  await new Promise((r, j) => { socket.once('open', r); socket.once('error', j); });
  assert.ok(await eventually(() => messages.length >= 1, { timeoutMs: 5000, intervalMs: 20 }));
  assert.equal(messages[0].type, 'snapshot');
  const before = messages[0].version;
  const undo = results(3, 'OFFICIAL', [['EVA', 'NOR', 101_000], ['FAY', 'USA', 101_500], ['GINA', 'SUI', 102_000]], { note: 'DSQ overturned on appeal' });
  assert.equal((await ingest(stack, 'POST', '/v1/ingest/events/ALPWDOWNHILL/results', undo)).status, 201);
  assert.ok(await eventually(() => messages.some((m) => m.type === 'update' && m.version > before), { timeoutMs: 10_000, intervalMs: 20 }));
  assert.deepEqual(messages.at(-1).table.totals, { gold: 3, silver: 1, bronze: 2, total: 6 });
  socket.close();
});

test('the OpenAPI document describes every public route', async () => {
  const res = await read(stack, '/v1/openapi.json');
  assert.equal(res.status, 200);
  assert.equal(res.body.openapi, '3.1.0');
  for (const path of ['/healthz', '/v1/events', '/v1/events/{event}', '/v1/events/{event}/leaderboard', '/v1/events/{event}/live',
    '/v1/medals', '/v1/medals/athletes', '/v1/nocs', '/v1/nocs/{noc}', '/v1/athletes/{athlete}', '/v1/search', '/v1/schedule', '/v1/live/medals']) {
    assert.ok(res.body.paths[path]?.get, `${path} is documented`);
  }
});
