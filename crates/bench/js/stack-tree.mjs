// The relay tree (issue 11): many viewers of one event over a two-level tree of relays, against the same
// number of viewers held by one event object, in the same run and alternating broadcasts.
//
// The tree side is a second local stack whose read gateway lowers the tier's settings
// (LIVE_DIRECT_VIEWERS, LIVE_RELAY_FANOUT) so that a few hundred viewers need relays of relays; the direct
// side is the main stack, whose read gateway lets one object hold every viewer. Per broadcast: trigger ->
// last viewer on each side, and whether every viewer got every version exactly once and in order.
//
// On this machine every object of a stack runs on the same workerd thread, so the tree cannot be faster
// here than one object: its objects send one after another, plus a request per relay. The ratio says what
// the tree costs locally; in production each relay is its own object on its own thread, and the sizing
// (object_logic::relays::sizing) is what bounds the time to the deepest viewer.
import { join } from 'node:path';
import { startStack } from '../../../scripts/lib/stack.mjs';
import { Audience } from './stack-live.mjs';
import {
  definition, log, note, onCleanup, request, results, sleep, summarize, UNITS,
} from './stack-common.mjs';

/// The tree's shape for `viewers`: objects hold `perObject`, each has `fanout` children, two levels.
export function treeLayout(viewers, perObject, fanout) {
  const level1 = perObject * fanout;
  const level2 = perObject * fanout * fanout;
  const capacity = perObject + level1 + level2;
  return {
    per_object: perObject,
    fanout,
    capacity,
    direct: Math.min(viewers, perObject),
    level1: Math.min(Math.max(0, viewers - perObject), level1),
    level2: Math.max(0, viewers - perObject - level1),
    relays: fanout + fanout * fanout,
  };
}

export async function runTree({ stack, ingest, token, event, workDir, quick }) {
  const count = quick ? 120 : 600;
  const [perObject, fanout] = quick ? [10, 3] : [25, 5];
  const rounds = quick ? 5 : 15;
  const layout = treeLayout(count, perObject, fanout);
  if (layout.capacity < count) throw new Error(`the tree holds ${layout.capacity}, fewer than ${count}`);

  log(`relay tree: a second stack with ${perObject} viewers per object and ${fanout} children per object`);
  const tree = await startStack({
    stateDir: join(workDir, 'tree-stack'),
    readVars: { LIVE_DIRECT_VIEWERS: String(perObject), LIVE_RELAY_FANOUT: String(fanout) },
  });
  onCleanup(() => tree.stop());
  const treeIngest = (method, path, body) => request(tree.ingestUrl, {
    method, path, body, headers: { 'cf-access-jwt-assertion': token },
  });
  for (const [post, label] of [[ingest, 'main'], [treeIngest, 'tree']]) {
    const defined = await post('PUT', `/v1/ingest/events/${event}`, definition(event));
    if (defined.status !== 201) throw new Error(`defining ${event} on the ${label} stack: ${defined.status} ${defined.body}`);
    const first = await post('POST', `/v1/ingest/events/${event}/results`, results(UNITS[0], 2));
    if (first.status !== 201) throw new Error(`first results on the ${label} stack: ${first.status} ${first.body}`);
  }

  const liveUrl = (s) => `${s.readUrl.replace('http', 'ws')}/v1/events/${event}/live`;
  const sides = {
    tree: { audience: new Audience(liveUrl(tree)), post: treeIngest, version: 2 },
    direct: { audience: new Audience(liveUrl(stack)), post: ingest, version: 2 },
  };
  for (const [name, side] of Object.entries(sides)) {
    onCleanup(() => side.audience.close());
    log(`relay tree: opening ${count} viewers on the ${name} side`);
    // One at a time on the tree side: each upgrade walks the tree from the top, and the objects' beliefs
    // of how full their children are fill level 1 before level 2.
    await side.audience.open(count, { batch: name === 'tree' ? 1 : 50, deadlineMs: 300_000 });
  }

  const samples = { tree: [], direct: [] };
  const sent = { tree: [], direct: [] };
  log(`relay tree: ${rounds} broadcasts each to ${count} viewers, alternating, ≥ 400 ms apart`);
  for (let round = 0; round < rounds + 1; round += 1) {
    const order = round % 2 === 0 ? ['tree', 'direct'] : ['direct', 'tree'];
    for (const name of order) {
      await sleep(400);
      const side = sides[name];
      side.version += 1;
      const sentAt = performance.now();
      const res = await side.post('POST', `/v1/ingest/events/${event}/results`, results(UNITS[0], side.version));
      if (res.status !== 201) throw new Error(`${name} update: ${res.status} ${res.body}`);
      const version = JSON.parse(res.body).event_version;
      sent[name].push(version);
      const complete = await side.audience.waitFor(version, 15_000);
      const arrivals = side.audience.arrivals(version);
      if (round === 0) continue;
      const got = arrivals.filter((a) => a !== Infinity);
      samples[name].push({
        complete,
        missing: arrivals.length - got.length,
        toFirst: Math.min(...got) - sentAt,
        toLast: Math.max(...got) - sentAt,
      });
    }
  }

  const out = { viewers: count, rounds, layout };
  for (const [name, side] of Object.entries(sides)) {
    const s = samples[name];
    out[name] = {
      broadcasts: s.length,
      incomplete: s.filter((x) => !x.complete).length,
      missing: s.reduce((n, x) => n + x.missing, 0),
      trigger_to_first_ms: summarize(s.map((x) => x.toFirst)),
      trigger_to_last_ms: summarize(s.map((x) => x.toLast)),
      ...exactlyOnce(side.audience, sent[name]),
      closed_early: side.audience.closedEarly,
    };
    const t = out[name].trigger_to_last_ms;
    note(`${name.padEnd(6)}: trigger→last p50 ${t.p50.toFixed(1)} ms, p99 ${t.p99.toFixed(1)} ms; ${out[name].viewers_with_every_version} of ${count} viewers got every version exactly once, in order`);
  }
  // Above 1: the tree reached its last viewer sooner than one object did.
  out.ratio_to_last = out.direct.trigger_to_last_ms.p50 / out.tree.trigger_to_last_ms.p50;
  for (const side of Object.values(sides)) await side.audience.close();
  await tree.stop();
  return out;
}

/// Whether each viewer received every version sent (all were sent after every viewer had opened), each
/// exactly once and in order. A viewer that saw none of them has missed them all.
function exactlyOnce(audience, sent) {
  let every = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let missed = 0;
  for (const v of audience.viewers) {
    const got = v.versions;
    for (let i = 1; i < got.length; i += 1) {
      if (got[i] === got[i - 1]) duplicates += 1;
      else if (got[i] < got[i - 1]) outOfOrder += 1;
    }
    const broadcasts = got.filter((version) => version >= sent[0]);
    missed += sent.filter((version) => !broadcasts.includes(version)).length;
    if (broadcasts.length === sent.length && broadcasts.every((version, i) => version === sent[i])) every += 1;
  }
  return { viewers_with_every_version: every, duplicates, out_of_order: outOfOrder, versions_missed: missed };
}
