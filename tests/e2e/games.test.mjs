// Head-to-head games (ice hockey) through the ingest API: a group game feeds the round-robin standings,
// the gold and bronze games award the medals, and a duplicate game is a no-op.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack, ingest, read, eventually } from './harness.mjs';

const stack = useStack();
const EVENT = 'IHOWTOURNAMENT';
const side = (noc, name) => ({ competitor: noc, name, noc });

const definition = {
  code: EVENT,
  name: "Women's Tournament",
  format: { type: 'knockout', sport_rules: 'ice_hockey' },
  phases: [
    { code: 'GRPA', name: 'Group A', units: ['GRPA-G01'], format: { type: 'round_robin', rules: { sport: 'ice_hockey' } } },
    { code: 'BRNZ', name: 'Bronze', units: ['BRNZ-G01'] },
    { code: 'GOLD', name: 'Gold', units: ['GOLD-G01'] },
  ],
  medal_unit: 'GOLD-G01',
  bronze_unit: 'BRNZ-G01',
};

const game = (unit, version, home, away, homeScore, awayScore, decidedIn = 'REGULATION') => ({
  message_id: `${unit}-v${version}`,
  unit,
  version,
  status: 'OFFICIAL',
  home,
  away,
  home_score: homeScore,
  away_score: awayScore,
  decided_in: decidedIn,
});

test('a group game feeds the standings; gold and bronze games award the medals', async () => {
  assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${EVENT}`, definition)).status, 201);
  const group = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/games`, game('GRPA-G01', 1, side('CAN', 'Canada'), side('USA', 'United States'), 3, 2, 'SHOOTOUT'));
  assert.equal(group.status, 201, JSON.stringify(group.body));
  const again = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/games`, game('GRPA-G01', 1, side('CAN', 'Canada'), side('USA', 'United States'), 3, 2, 'SHOOTOUT'));
  assert.deepEqual([again.status, again.body.outcome], [200, 'duplicate']);

  const standings = await read(stack, `/v1/events/${EVENT}/leaderboard?unit=GRPA`);
  assert.equal(standings.status, 200, JSON.stringify(standings.body));
  assert.deepEqual(standings.body.rows.map((r) => [r.rank, r.competitor]), [[1, 'CAN'], [2, 'USA']]);

  const bad = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/games`, { ...game('GOLD-G01', 1, side('CAN', 'Canada'), side('USA', 'United States'), 2, 1), decided_in: 'PENALTIES' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'decided_in');

  assert.equal((await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/games`, game('BRNZ-G01', 1, side('FIN', 'Finland'), side('SUI', 'Switzerland'), 4, 1))).status, 201);
  assert.equal((await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/games`, game('GOLD-G01', 1, side('USA', 'United States'), side('CAN', 'Canada'), 2, 1, 'OVERTIME'))).status, 201);
  const summary = await eventually(async () => {
    const res = await read(stack, `/v1/events/${EVENT}`);
    return res.body.medals?.length === 3 ? res.body : null;
  });
  assert.ok(summary, 'three medals awarded');
  assert.deepEqual(summary.medals.map((m) => [m.medal, m.noc]), [['GOLD', 'USA'], ['SILVER', 'CAN'], ['BRONZE', 'FIN']]);
});
