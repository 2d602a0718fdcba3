// The load generator in its short mode (a few viewers, a few seconds per phase), so it cannot rot: it
// starts its own stack with the tail counter attached, plays the Games, and its report must show every
// read answered, every update applied and seen by every viewer, and counts for the cost tool. No timing is
// asserted: speed is only ever reported (scripts/bench), never tested.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

test('the load generator plays a short Games and counts what the stack did', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'olympic-loadgen-'));
  try {
    const out = join(dir, 'report.json');
    const ratiosOut = join(dir, 'measured.json');
    const run = spawnSync(process.execPath, [join(ROOT, 'crates', 'bench', 'js', 'loadgen.mjs'), '--short', '--out', out, '--ratios-out', ratiosOut],
      { cwd: ROOT, encoding: 'utf8', timeout: 280_000 });
    assert.equal(run.status, 0, `loadgen failed:\n${run.stderr}`);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(report.setup.viewers, 20);
    const byName = Object.fromEntries(report.phases.map((p) => [p.name, p]));
    for (const name of ['reads', 'mixed']) {
      const reads = byName[name].reads;
      assert.ok(reads.answered > 0, `${name}: no read answered`);
      assert.deepEqual(Object.keys(reads.statuses), ['200'], `${name}: reads answered ${JSON.stringify(reads.statuses)}`);
    }
    for (const name of ['updates', 'mixed']) {
      const { updates, freshness } = byName[name];
      assert.ok(updates.applied > 0 && updates.applied === updates.offered, `${name}: ${JSON.stringify(updates)}`);
      assert.equal(freshness.missed, 0, `${name}: a viewer missed an update`);
      assert.ok(freshness.from_ack_ms.n > 0, `${name}: no freshness sample`);
    }
    assert.equal(report.viewers_out_of_order, 0);
    // The counts: every read reached the read gateway, every update the ingest gateway and an object, and
    // each update went to both Queues and landed in R2 and D1.
    const ratios = JSON.parse(readFileSync(ratiosOut, 'utf8'));
    assert.ok(ratios.read_hit.worker_requests >= 0.99, `worker requests per read: ${ratios.read_hit.worker_requests}`);
    assert.ok(ratios.update.do_requests >= 1, `object requests per update: ${ratios.update.do_requests}`);
    assert.ok(ratios.update.queue_messages >= 1.9, `Queue messages per update: ${ratios.update.queue_messages}`);
    assert.ok(ratios.update.r2_class_a > 0.9, `R2 writes per update: ${ratios.update.r2_class_a}`);
    assert.ok(ratios.update.d1_rows_written > 0.9, `D1 rows per update: ${ratios.update.d1_rows_written}`);
    assert.equal(ratios.update.kv_writes, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
