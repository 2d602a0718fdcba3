// ODF XML feeds through the ingest API (POST /v1/ingest/odf): the fixtures of crates/odf for alpine
// skiing, speed skating, figure skating, ice hockey and curling, a schedule, entries and a medal check;
// duplicates and stale versions as with JSON; and the refusals (malformed XML, unknown codes, a message
// that disagrees with the definition), each a 4xx naming the XML element that changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useStack, ingest, read, signToken, eventually } from './harness.mjs';
import { ROOT, SIGNED_FEED, feedSignatureHeaders } from '../../scripts/lib/access-keys.mjs';

const stack = useStack();
const fixture = (name) => readFileSync(join(ROOT, 'crates/odf/tests/fixtures', name), 'utf8');
const XML = { 'content-type': 'application/xml' };
const odf = (xml, options = {}) =>
  ingest(stack, 'POST', '/v1/ingest/odf', undefined, { raw: xml, ...options, headers: { ...XML, ...(options.headers ?? {}) } });
const final = (unit = 'FNL-000100') => [{ code: 'FNL', name: 'Final', units: [unit] }];

const definitions = {
  ALPMDOWNHILL: {
    code: 'ALPMDOWNHILL', name: "Men's Downhill", format: { type: 'lowest_time', precision: 'hundredths' },
    phases: final(), medal_unit: 'FNL-000100',
    participants: [
      { id: '1000101', name: 'Marco Odermatt', noc: 'SUI', kind: 'athlete' },
      { id: '1000102', name: 'Vincent Kriechmayr', noc: 'AUT', kind: 'athlete' },
      { id: '1000103', name: 'Dominik Paris', noc: 'ITA', kind: 'athlete' },
      { id: '1000104', name: 'Aleksander Aamodt Kilde', noc: 'NOR', kind: 'athlete' },
    ],
  },
  SSKW500M: { code: 'SSKW500M', name: '500 m', format: { type: 'lowest_time', precision: 'hundredths' }, phases: final(), medal_unit: 'FNL-000100' },
  FSKWSINGLES: {
    code: 'FSKWSINGLES', name: 'Women Single Skating', format: { type: 'segments', segments: 2 },
    phases: [{ code: 'FS', name: 'Free skating', units: ['FS-000100'] }], medal_unit: 'FS-000100',
  },
  IHOMTOURNAMENT: {
    code: 'IHOMTOURNAMENT', name: "Men's Tournament", format: { type: 'knockout', sport_rules: 'ice_hockey' },
    phases: [{ code: 'GPA', name: 'Group A', units: ['GPA-000100'], format: { type: 'round_robin', rules: { sport: 'ice_hockey' } } }, ...final()],
    medal_unit: 'FNL-000100',
  },
  CURWTOURNAMENT: {
    code: 'CURWTOURNAMENT', name: "Women's Tournament", format: { type: 'knockout', sport_rules: 'curling' },
    phases: [{ code: 'RR', name: 'Round robin', units: ['RR-000100'], format: { type: 'round_robin', rules: { sport: 'curling' } } }, ...final()],
    medal_unit: 'FNL-000100',
  },
};

async function define(code) {
  const res = await ingest(stack, 'PUT', `/v1/ingest/events/${code}`, definitions[code]);
  assert.ok([200, 201].includes(res.status), JSON.stringify(res.body));
}

const board = async (event, query) => (await read(stack, `/v1/events/${event}/leaderboard?${query}`)).body;
// The event version from the object itself (reads through the read API are cached).
const version = async (event) => (await ingest(stack, 'GET', `/v1/ingest/events/${event}`)).body.version;

test('alpine: schedule, entries, start list and results from ODF; resent and older messages are no-ops', async () => {
  await define('ALPMDOWNHILL');

  const schedule = await odf(fixture('alpine_schedule.xml'));
  assert.equal(schedule.status, 200, JSON.stringify(schedule.body));
  assert.equal(schedule.body.document_type, 'DT_SCHEDULE');
  assert.deepEqual(schedule.body.results.map((r) => [r.event, r.kind, r.status]), [['ALPMDOWNHILL', 'definition', 201]]);
  assert.deepEqual(schedule.body.skipped.map((s) => s.element).sort(), ['OdfBody/Competition/Unit[2]', 'OdfBody/Competition/Unit[3]']);
  const stored = (await ingest(stack, 'GET', '/v1/ingest/events/ALPMDOWNHILL')).body.definition;
  assert.deepEqual(stored.schedule, [{ unit: 'FNL-000100', day: '2026-02-07', start_utc_ms: 1770460200000 }]);

  const entries = await odf(fixture('alpine_participants.xml'));
  assert.equal(entries.status, 200, JSON.stringify(entries.body));
  const entered = (await ingest(stack, 'GET', '/v1/ingest/events/ALPMDOWNHILL')).body.definition.participants;
  assert.ok(entered.some((p) => p.id === '1000106' && p.noc === 'SUI'), JSON.stringify(entered));

  const startList = await odf(fixture('alpine_downhill_start_list.xml'));
  assert.deepEqual([startList.status, startList.body.results[0].status, startList.body.results[0].body.unit_version], [200, 201, 1]);
  assert.equal((await board('ALPMDOWNHILL', 'unit=FNL-000100')).status, 'START_LIST');

  const official = await odf(fixture('alpine_downhill_official.xml'));
  assert.equal(official.body.results[0].body.outcome, 'applied', JSON.stringify(official.body));
  // Reads are cached for a second: wait for the official page.
  const page = await eventually(async () => {
    const current = await board('ALPMDOWNHILL', 'unit=FNL-000100');
    return current.status === 'OFFICIAL' ? current : null;
  });
  assert.ok(page, 'the official results are read');
  assert.deepEqual(
    page.rows.map((r) => [r.rank, r.competitor, r.mark, r.irm, r.medal]),
    [
      [1, '1000101', '1:52.33', null, 'GOLD'],
      [2, '1000103', '1:52.61', null, 'SILVER'],
      [2, '1000102', '1:52.61', null, 'SILVER'],
      [null, '1000104', null, 'DNF', null],
    ],
  );
  const before = await version('ALPMDOWNHILL');
  const again = await odf(fixture('alpine_downhill_official.xml'));
  assert.deepEqual([again.status, again.body.results[0].status, again.body.results[0].body.outcome], [200, 200, 'duplicate']);
  const late = await odf(fixture('alpine_downhill_start_list.xml'));
  assert.deepEqual([late.body.results[0].body.outcome, late.body.results[0].body.unit_version], ['stale', 5]);
  assert.equal(await version('ALPMDOWNHILL'), before);

  // The provider's medal standings disagree (it gives NOR bronze; here Paris shares silver): reported,
  // nothing written.
  const medals = await odf(fixture('alpine_downhill_medals.xml'));
  assert.equal(medals.status, 200, JSON.stringify(medals.body));
  assert.equal(medals.body.agrees, false);
  assert.deepEqual(medals.body.differences.map((d) => d.noc), ['ITA', 'NOR']);
  assert.equal(await version('ALPMDOWNHILL'), before);
});

test('speed skating, figure skating, ice hockey and curling results from ODF', async () => {
  for (const code of ['SSKW500M', 'FSKWSINGLES', 'IHOMTOURNAMENT', 'CURWTOURNAMENT']) await define(code);
  const cases = [
    ['speed_skating_500m_official.xml', 'SSKW500M', 'results', 'unit=FNL-000100', [[1, '2000201', '36.76'], [2, '2000203', '37.12'], [2, '2000202', '37.12']]],
    ['figure_skating_free_official.xml', 'FSKWSINGLES', 'results', 'unit=FS-000100', [[1, '4000501', '224.09'], [2, '4000502', '224.09']]],
    ['ice_hockey_game_official.xml', 'IHOMTOURNAMENT', 'game', 'unit=GPA', [[1, 'CAN', '2 pts'], [2, 'SUI', '1 pts']]],
    ['curling_game_official.xml', 'CURWTOURNAMENT', 'game', 'unit=RR', [[1, 'SWE', '1–0'], [2, 'GBR', '0–1']]],
  ];
  for (const [name, event, kind, query, rows] of cases) {
    const res = await odf(fixture(name));
    assert.equal(res.status, 200, `${name}: ${JSON.stringify(res.body)}`);
    assert.deepEqual([res.body.results[0].event, res.body.results[0].kind, res.body.results[0].status], [event, kind, 201], name);
    const page = await board(event, query);
    assert.deepEqual(page.rows.map((r) => [r.rank, r.competitor, r.mark]), rows, name);
  }
});

test('refusals name the XML element and change nothing', async () => {
  await define('ALPMDOWNHILL');
  const official = fixture('alpine_downhill_official.xml');
  const before = await version('ALPMDOWNHILL');
  const cases = [
    ['malformed XML', fixture('malformed_mismatched_tag.xml'), 400, 'invalid-request', 'OdfBody/Competition/Result[2]'],
    ['an unknown IRM', official.replace('IRM="DNF"', 'IRM="XYZ"'), 422, 'unknown-code', 'OdfBody/Competition/Result[4]/@IRM'],
    ['a competitor not entered', official.replace('Code="1000103"', 'Code="9999999"'), 422, 'unknown-code', 'OdfBody/Competition/Result[3]/Competitor/@Code'],
    ['a unit the event does not have', official.replace('FNL-000100--', 'SFNL000100--'), 422, 'unknown-code', 'OdfBody/@DocumentCode'],
    ['an event never defined', official.replaceAll('ALPMDOWNHILL', 'ALPWDOWNHILL'), 404, 'unknown-event', 'OdfBody/@DocumentCode'],
    ['a document type not taken', official.replace('DT_RESULT', 'DT_WEATHER'), 422, 'unsupported-odf', 'OdfBody/@DocumentType'],
    ['a NOC the definition does not give', official.replace('Code="1000103" Type="A" Organisation="ITA"', 'Code="1000103" Type="A" Organisation="FRA"'), 422, 'invalid-message', 'OdfBody/Competition/Result[3]/Competitor/@Organisation'],
    ['an OFFICIAL line without a time or IRM', official.replace('Result="1:52.61"', ''), 422, 'invalid-message', 'OdfBody/Competition/Result[2]'],
  ];
  for (const [what, xml, status, type, field] of cases) {
    const res = await odf(xml.replace('Version="5"', 'Version="6"'));
    assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
    assert.equal(res.headers.get('content-type'), 'application/problem+json', what);
    assert.equal(res.body.type, `https://olympic-live.dev/problems/${type}`, what);
    assert.equal(res.body.field, field, what);
  }
  assert.equal(await version('ALPMDOWNHILL'), before, 'no refused message changed the event');
});

test('authenticated and signed like the batch; XML only; POST only', async () => {
  const xml = fixture('alpine_downhill_official.xml');
  const noToken = await odf(xml, { token: null });
  assert.deepEqual([noToken.status, noToken.body.field], [401, 'cf-access-jwt-assertion']);
  const json = await ingest(stack, 'POST', '/v1/ingest/odf', undefined, { raw: xml });
  assert.deepEqual([json.status, json.body.field], [415, 'content-type']);
  const get = await ingest(stack, 'GET', '/v1/ingest/odf');
  assert.deepEqual([get.status, get.headers.get('allow')], [405, 'POST']);
  const signedToken = signToken({ claims: { common_name: SIGNED_FEED } });
  const unsigned = await odf(xml, { token: signedToken });
  assert.deepEqual([unsigned.status, unsigned.body.type], [401, 'https://olympic-live.dev/problems/bad-signature']);
  const signed = await odf(xml, { token: signedToken, headers: feedSignatureHeaders(xml) });
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
});
