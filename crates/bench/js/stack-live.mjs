// Live updates (issue 5): fan-out against a JavaScript Durable Object with the Hibernation API
// (crates/bench/peers/fanout-peer.js), and freshness (acknowledged update -> every viewer holds it) at 20 and
// 200 updates/s, with 1,000 viewers (200 with --quick) on one event.
//
// Viewers are minimal WebSocket clients in this process (stack-ws.mjs: no permessage-deflate, so both
// sides send plain frames). A viewer reads only the `version` near the start of each message and skips
// the rest, the same work for ours and the peer's messages, so the client costs little and the same.
import { join } from 'node:path';
import WebSocket from 'ws';
import { openViewer } from './stack-ws.mjs';
import {
  log, meter, note, onCleanup, request, results, sleep, startPeer, summarize, UNITS,
} from './stack-common.mjs';

/// A set of viewers of one live URL, each recording (version, arrival time) of every message.
export class Audience {
  constructor(url) {
    this.url = url;
    this.viewers = [];
    this.target = Infinity;
    this.reached = 0;
    this.waiter = null;
    this.outOfOrder = 0;
    this.closedEarly = 0;
    this.closeReasons = new Map();
  }

  open1() {
    const viewer = { conn: null, versions: [], times: [], last: -1, counted: false };
    return openViewer(this.url, {
      onMessage: (v, at) => {
        if (v < 0) return;
        if (v < viewer.last) this.outOfOrder += 1;
        viewer.versions.push(v);
        viewer.times.push(at);
        if (v > viewer.last) viewer.last = v;
        if (!viewer.counted && viewer.last >= this.target) {
          viewer.counted = true;
          this.reached += 1;
          if (this.reached === this.viewers.length && this.waiter) this.waiter();
        }
      },
      onClose: (why) => {
        if (this.closing) return;
        this.closedEarly += 1;
        this.closeReasons.set(why, (this.closeReasons.get(why) ?? 0) + 1);
      },
    }).then((conn) => {
      viewer.conn = conn;
      return viewer;
    });
  }

  /// Opens `count` sockets, `batch` at a time (the local runtime accepts tens to a hundred a second).
  async open(count, { batch = 50, deadlineMs = 120_000 } = {}) {
    const deadline = performance.now() + deadlineMs;
    let failures = 0;
    while (this.viewers.length < count) {
      if (performance.now() > deadline) throw new Error(`opened only ${this.viewers.length} of ${count} sockets to ${this.url} in time`);
      const n = Math.min(batch, count - this.viewers.length);
      const settled = await Promise.allSettled(Array.from({ length: n }, () => this.open1()));
      for (const s of settled) {
        if (s.status === 'fulfilled') this.viewers.push(s.value);
        else if (++failures > 50) throw new Error(`too many failed WebSocket opens to ${this.url}: ${s.reason?.message}`);
      }
    }
    return failures;
  }

  /// Resolves once every viewer holds `version` or newer (or after `timeoutMs`; then returns false).
  waitFor(version, timeoutMs) {
    this.target = version;
    this.reached = 0;
    for (const v of this.viewers) {
      v.counted = v.last >= version;
      if (v.counted) this.reached += 1;
    }
    if (this.reached === this.viewers.length) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.waiter = null; resolve(false); }, timeoutMs);
      this.waiter = () => { clearTimeout(timer); this.waiter = null; resolve(true); };
    });
  }

  /// For each viewer, when it first held `version` or newer (binary search: versions only rise).
  arrivals(version) {
    return this.viewers.map((v) => {
      let lo = 0;
      let hi = v.versions.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (v.versions[mid] >= version) hi = mid;
        else lo = mid + 1;
      }
      return lo < v.versions.length ? v.times[lo] : Infinity;
    });
  }

  messagesReceived() {
    return this.viewers.reduce((n, v) => n + v.versions.length, 0);
  }

  async close() {
    this.closing = true;
    for (const v of this.viewers) v.conn.close();
    this.viewers = [];
  }
}

export async function runLive({ stack, ingest, liveEvent, quietEvent, workDir, quick, viewers: count, fanout, freshness }) {
  const out = {};
  const liveUrl = `${stack.readUrl.replace('http', 'ws')}/v1/events/${liveEvent}/live`;
  // The feed of the watched event: every slot of in-flight requests owns a heat, so nothing is stale.
  const versions = new Map();
  const nextVersion = (unit) => {
    const v = (versions.get(unit) ?? 1) + 1;
    versions.set(unit, v);
    return v;
  };
  const post = (unit = UNITS[0]) => ingest('POST', `/v1/ingest/events/${liveEvent}/results`, results(unit, nextVersion(unit)));

  const ours = new Audience(liveUrl);
  onCleanup(() => ours.close());
  log(`live: opening ${count} viewers on our event ${liveEvent} (50 at a time)`);
  let t = performance.now();
  const oursFailures = await ours.open(count);
  const oursOpenS = (performance.now() - t) / 1000;
  note(`${count} sockets open in ${oursOpenS.toFixed(1)} s (${oursFailures} failed opens retried)`);
  // Every viewer gets the next update: the stack is ready.
  const firstPost = await post();
  if (firstPost.status !== 201) throw new Error(`ingest answered ${firstPost.status}: ${firstPost.body}`);
  const current = JSON.parse(firstPost.body).event_version;
  if (!(await ours.waitFor(current, 15_000))) {
    const held = new Map();
    for (const v of ours.viewers) held.set(v.last, (held.get(v.last) ?? 0) + 1);
    throw new Error(`not every viewer of ours got version ${current} within 15 s: versions held ${JSON.stringify([...held])}, ${ours.closedEarly} closed (${JSON.stringify([...ours.closeReasons])})`);
  }
  out.live_setup = { viewers: count, open_seconds: oursOpenS, failed_opens: oursFailures };

  if (fanout) out.fanout = await runFanout({ ours, post, ingest, workDir, quick, count, liveEvent, stack, quietEvent });
  if (freshness) out.freshness = await runFreshness({ ours, ingest, liveEvent, quick, count, versions });
  out.live_setup.out_of_order = ours.outOfOrder;
  out.live_setup.closed_early = ours.closedEarly;
  out.live_setup.close_reasons = Object.fromEntries(ours.closeReasons);
  await ours.close();
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Fan-out: one message to N viewers, repeated, alternating ours and the peer's, each broadcast at least
// 400 ms after that side's previous one (our object coalesces to one message per 50 ms; spaced wider, every
// change is sent at once). Per broadcast: trigger -> first viewer, trigger -> last viewer, first -> last.

async function runFanout({ ours, post, ingest, workDir, quick, count, liveEvent, stack, quietEvent }) {
  const rounds = quick ? 5 : 20;
  // Our live update, as a viewer receives it after one of the triggers below (a patch to the page it
  // holds): the peer broadcasts the same message.
  const snapshot = await captureUpdate(stack, liveEvent, post);
  log('fan-out peer: starting the JavaScript Durable Object (crates/bench/peers/fanout-peer.js)');
  const peer = await startPeer({ name: 'fanout-peer', config: 'crates/bench/peers/fanout-peer.toml', stateDir: join(workDir, 'fanout-peer') });
  const peerAudience = new Audience(`${peer.url.replace('http', 'ws')}/v1/events/${liveEvent}/live`);
  try {
    const put = await request(peer.url, { method: 'PUT', path: `/v1/events/${liveEvent}/message`, body: snapshot.text });
    if (put.status !== 204) throw new Error(`fan-out peer refused the message: ${put.status} ${put.body}`);
    log(`fan-out peer: opening ${count} viewers`);
    const t = performance.now();
    const peerFailures = await peerAudience.open(count);
    note(`${count} sockets open in ${((performance.now() - t) / 1000).toFixed(1)} s (${peerFailures} failed opens retried)`);

    let peerVersion = snapshot.version + 1000;
    const triggers = {
      ours: async () => {
        const res = await post();
        if (res.status !== 201) throw new Error(`ingest answered ${res.status}: ${res.body}`);
        return { version: JSON.parse(res.body).event_version, ackAt: res.ended, sentAt: res.started };
      },
      peer: async () => {
        peerVersion += 1;
        const res = await request(peer.url, { method: 'POST', path: `/v1/events/${liveEvent}/broadcast?version=${peerVersion}` });
        if (res.status !== 200) throw new Error(`fan-out peer answered ${res.status}: ${res.body}`);
        return { version: peerVersion, ackAt: res.ended, sentAt: res.started };
      },
    };
    const audiences = { ours, peer: peerAudience };
    const samples = { ours: [], peer: [] };
    log(`fan-out: ${rounds} broadcasts each to ${count} viewers, alternating ours and the peer's, ≥ 400 ms apart`);
    // CPU: what each side's processes spend at rest, then over the whole alternating phase.
    const idle = meter();
    await sleep(2000);
    const idleUse = idle.stop();
    const lastAt = { ours: 0, peer: 0 };
    const cpu = meter();
    for (let round = 0; round < rounds + 1; round += 1) {
      const order = round % 2 === 0 ? ['ours', 'peer'] : ['peer', 'ours'];
      for (const side of order) {
        const wait = lastAt[side] + 400 - performance.now();
        if (wait > 0) await sleep(wait);
        const audience = audiences[side];
        // The version this trigger will produce is known once it is acknowledged; messages may arrive
        // before the acknowledgement, and the audience keeps every arrival time.
        const sentAt = performance.now();
        lastAt[side] = sentAt;
        const { version, ackAt } = await triggers[side]();
        const complete = await audience.waitFor(version, 10_000);
        const arrivals = audience.arrivals(version);
        const missing = arrivals.filter((a) => a === Infinity).length;
        if (round === 0) continue; // the first round warms both sides up
        const got = arrivals.filter((a) => a !== Infinity);
        const first = Math.min(...got);
        const last = Math.max(...got);
        samples[side].push({ complete, missing, toFirst: first - sentAt, toLast: last - sentAt, spread: last - first, ack: ackAt - sentAt });
      }
    }
    const cpuUse = cpu.stop();
    // Our trigger is a real ingest (gateway, apply, store, Queues, consumers): its CPU is not fan-out. The
    // same number of updates, spaced the same, to an event nobody watches gives that part, to subtract.
    const spacing = (cpuUse.wall_s * 1000) / (rounds + 1);
    const base = meter();
    for (let i = 0; i < rounds + 1; i += 1) {
      const t0 = performance.now();
      const res = await ingest('POST', `/v1/ingest/events/${quietEvent}/results`, results(UNITS.at(-1), 1000 + i));
      if (res.status !== 201) throw new Error(`baseline update: ${res.status} ${res.body}`);
      await sleep(Math.max(0, spacing - (performance.now() - t0)));
    }
    const baseUse = base.stop();
    const net = (use, groups) => groups.reduce((n, g) => n + groupCpu(use, g) - groupCpu(idleUse, g) * (use.wall_s / idleUse.wall_s), 0);
    const oursGroups = ['public', 'ingest'];
    const fanoutCpu = {
      ours_phase_s: net(cpuUse, oursGroups),
      ours_triggers_s: net(baseUse, oursGroups),
      peer_phase_s: net(cpuUse, ['fanout-peer']),
    };
    fanoutCpu.ours_fanout_s = fanoutCpu.ours_phase_s - fanoutCpu.ours_triggers_s;
    const delivered = (rounds + 1) * count;
    fanoutCpu.ours_us_per_message = (fanoutCpu.ours_fanout_s * 1e6) / delivered;
    fanoutCpu.peer_us_per_message = (fanoutCpu.peer_phase_s * 1e6) / delivered;
    const summary = {};
    for (const side of ['ours', 'peer']) {
      const s = samples[side];
      const spread = summarize(s.map((x) => x.spread));
      const toLast = summarize(s.map((x) => x.toLast));
      summary[side] = {
        broadcasts: s.length,
        incomplete: s.filter((x) => !x.complete).length,
        missing: s.reduce((n, x) => n + x.missing, 0),
        trigger_to_first_ms: summarize(s.map((x) => x.toFirst)),
        trigger_to_last_ms: toLast,
        spread_ms: spread,
        ack_ms: summarize(s.map((x) => x.ack)),
        // Messages delivered per second while a broadcast is under way.
        msgs_per_s_spread: (count - 1) / (spread.p50 / 1000),
        msgs_per_s_trigger: count / (toLast.p50 / 1000),
      };
      note(`${side.padEnd(4)}: trigger→first p50 ${summary[side].trigger_to_first_ms.p50.toFixed(1)} ms, trigger→last p50 ${toLast.p50.toFixed(1)} ms (p99 ${toLast.p99.toFixed(1)}), first→last p50 ${spread.p50.toFixed(1)} ms: ${summary[side].msgs_per_s_spread.toFixed(0)} msgs/s`);
    }
    note(`server CPU per delivered message: ours ${fanoutCpu.ours_us_per_message.toFixed(1)} µs (phase ${fanoutCpu.ours_phase_s.toFixed(2)} s less ${fanoutCpu.ours_triggers_s.toFixed(2)} s for the ingest triggers), peer ${fanoutCpu.peer_us_per_message.toFixed(1)} µs; ${cpuUse.outside_s.toFixed(1)} CPU s outside the benchmark`);
    return {
      viewers: count,
      rounds,
      message_bytes: snapshot.bytes,
      ours: summary.ours,
      peer: summary.peer,
      ratio_spread: summary.ours.msgs_per_s_spread / summary.peer.msgs_per_s_spread,
      // Server CPU per delivered message (all processes of each side): msgs/s one core sustains.
      cpu: fanoutCpu,
      msgs_per_cpu_s: { ours: 1e6 / fanoutCpu.ours_us_per_message, peer: 1e6 / fanoutCpu.peer_us_per_message },
      ratio_cpu: fanoutCpu.peer_us_per_message / fanoutCpu.ours_us_per_message,
      ratio_trigger: summary.ours.msgs_per_s_trigger / summary.peer.msgs_per_s_trigger,
      peer_out_of_order: peerAudience.outOfOrder,
      cpu_phase: cpuUse,
      cpu_idle: idleUse,
      cpu_baseline: baseUse,
    };
  } finally {
    await peerAudience.close();
    await peer.stop();
  }
}

function groupCpu(use, group) {
  return Object.entries(use.groups[group] ?? {}).reduce((n, [kind, sec]) => n + (kind === 'esbuild' ? 0 : sec), 0);
}

/// The update a viewer of our event receives after one `trigger` (an ingested change), read by a viewer of
/// its own once it holds the snapshot.
async function captureUpdate(stack, liveEvent, trigger) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${stack.readUrl.replace('http', 'ws')}/v1/events/${liveEvent}/live`, { perMessageDeflate: false });
    const timer = setTimeout(() => { ws.terminate(); reject(new Error('no live update within 10 s')); }, 10_000);
    ws.on('message', (data) => {
      const text = data.toString('utf8');
      const message = JSON.parse(text);
      if (message.type === 'snapshot') {
        sleep(100).then(trigger).catch((err) => { clearTimeout(timer); ws.terminate(); reject(err); });
        return;
      }
      if (message.type !== 'update') return;
      clearTimeout(timer);
      ws.terminate();
      resolve({ text, bytes: Buffer.byteLength(text), version: message.version, patch: Boolean(message.patch) });
    });
    ws.once('error', (err) => { clearTimeout(timer); reject(err); });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Freshness: a feed posting at a fixed rate (open loop, paced; at most 16 requests in flight, each slot on its
// own heat). For every acknowledged update: the time from its acknowledgement until every viewer holds that
// version or a newer one (0 when they all held it before the acknowledgement arrived).

async function runFreshness({ ours, ingest, liveEvent, quick, count, versions }) {
  const seconds = quick ? 3 : 8;
  const out = { viewers: count, seconds, runs: [] };
  for (const rate of [20, 200]) {
    log(`freshness: ${rate} updates/s offered for ${seconds} s to the event with ${count} viewers`);
    await sleep(600); // past the coalescing interval: each run starts from rest
    const acks = [];
    const errors = [];
    const inFlightCap = 16;
    const freeSlots = Array.from({ length: inFlightCap }, (_, i) => i);
    let inFlight = 0;
    let skipped = 0;
    const interval = 1000 / rate;
    const cpu = meter();
    const t0 = performance.now();
    const pending = new Set();
    for (let k = 0; ; k += 1) {
      const due = t0 + k * interval;
      if (due - t0 > seconds * 1000) break;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      if (inFlight >= inFlightCap) { skipped += 1; continue; }
      const slot = freeSlots.pop();
      const unit = UNITS[slot];
      const v = (versions.get(unit) ?? 1) + 1;
      versions.set(unit, v);
      inFlight += 1;
      const p = ingest('POST', `/v1/ingest/events/${liveEvent}/results`, results(unit, v)).then((res) => {
        if (res.status === 201) acks.push({ version: JSON.parse(res.body).event_version, at: res.ended, sent: res.started });
        else errors.push(`${res.status} ${res.body.slice(0, 120)}`);
      }, (err) => errors.push(err.message)).finally(() => {
        inFlight -= 1;
        freeSlots.push(slot);
        pending.delete(p);
      });
      pending.add(p);
    }
    await Promise.all([...pending]);
    const elapsed = (performance.now() - t0) / 1000;
    const finalVersion = Math.max(...acks.map((a) => a.version));
    const settled = await ours.waitFor(finalVersion, 5_000);
    const cpuUse = cpu.stop();
    const fresh = [];
    const fromSend = [];
    let notReached = 0;
    let beforeAck = 0;
    for (const ack of acks) {
      const arrivals = ours.arrivals(ack.version);
      const last = Math.max(...arrivals);
      if (last === Infinity) { notReached += 1; continue; }
      if (last <= ack.at) beforeAck += 1;
      fresh.push(Math.max(0, last - ack.at));
      fromSend.push(last - ack.sent);
    }
    const run = {
      offered_per_s: rate,
      achieved_per_s: acks.length / elapsed,
      acked: acks.length,
      skipped_sends: skipped,
      errors: errors.length,
      error_sample: errors.slice(0, 3),
      settled,
      not_reached: notReached,
      held_before_ack: beforeAck,
      ack_ms: summarize(acks.map((a) => a.at - a.sent)),
      freshness_ms: summarize(fresh),
      // The same, counted from when the request was sent (includes waiting for the ingest path).
      from_send_ms: summarize(fromSend),
      cpu: cpuUse,
    };
    out.runs.push(run);
    note(`achieved ${run.achieved_per_s.toFixed(1)} updates/s (${skipped} sends skipped at ${inFlightCap} in flight, ${errors.length} errors); freshness p50 ${run.freshness_ms.p50.toFixed(1)} ms, p99 ${run.freshness_ms.p99.toFixed(1)} ms, max ${run.freshness_ms.max.toFixed(1)} ms; from send p50 ${run.from_send_ms.p50.toFixed(1)} ms, p99 ${run.from_send_ms.p99.toFixed(1)} ms; ack p50 ${run.ack_ms.p50.toFixed(1)} ms; ${cpuUse.outside_s.toFixed(1)} CPU s outside the benchmark`);
  }
  return out;
}
