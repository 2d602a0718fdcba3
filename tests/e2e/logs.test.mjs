// Traced logs: one ingest can be followed by its request id through the gateway, the event object and
// both consumers, every line one JSON object; and a server error's line carries its cause, which the
// client never sees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useStack, ingest, eventually, downhillDefinition, downhillResults } from './harness.mjs';

const stack = useStack();
const EVENT = 'ALPMLOGTRACE';

/// Every JSON log line the stack's processes wrote so far (wrangler's own lines are not JSON).
function logLines() {
  const lines = [];
  for (const name of ['public', 'ingest']) {
    const text = readFileSync(join(stack.stateDir, `${name}.log`), 'utf8');
    // wrangler prints error lines in colour: drop the escape codes around the JSON.
    for (const raw of text.replace(/\u001b\[[0-9;]*m/g, '').split('\n')) {
      const start = raw.indexOf('{"');
      if (start < 0) continue;
      try { lines.push({ process: name, ...JSON.parse(raw.slice(start).trim()) }); } catch { /* not ours */ }
    }
  }
  return lines;
}

test('one ingest leaves lines with one request id in the gateway, the object and both consumers', async () => {
  assert.equal((await ingest(stack, 'PUT', `/v1/ingest/events/${EVENT}`, downhillDefinition(EVENT))).status, 201);
  const posted = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version: 1, finished: 3 }));
  assert.equal(posted.status, 201, JSON.stringify(posted.body));
  const id = posted.headers.get('x-request-id');
  assert.match(id ?? '', /^[0-9a-f]{16}$/, 'the receipt names its request id');

  const traced = await eventually(() => {
    const workers = new Set(logLines().filter((l) => l.request_id === id).map((l) => l.worker));
    return ['ingest-gateway', 'event-do', 'archiver-consumer', 'analytics-consumer'].every((w) => workers.has(w)) ? workers : null;
  }, { timeoutMs: 20_000 });
  assert.ok(traced, `lines for ${id}: ${JSON.stringify(logLines().filter((l) => l.request_id === id))}`);
  const mine = logLines().filter((l) => l.request_id === id);
  for (const line of mine) {
    assert.equal(typeof line.level, 'string');
    assert.equal(typeof line.message, 'string');
  }
  const handled = mine.find((l) => l.worker === 'event-do' && l.message === 'message handled');
  assert.equal(handled?.event, EVENT);
  assert.equal(handled?.event_version, 1);
  // Another request has another id.
  const other = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version: 2, finished: 4 }));
  assert.notEqual(other.headers.get('x-request-id'), id);
});

test('a server error is logged with its cause and the request id; the client sees neither the cause nor a 5xx body it cannot read', async () => {
  // Take the public process (the event objects) away: the ingest gateway can no longer reach them.
  const [publicProcess] = stack.children;
  await new Promise((resolve) => {
    publicProcess.once('exit', resolve);
    process.kill(-publicProcess.pid, 'SIGKILL');
  });
  const posted = await ingest(stack, 'POST', `/v1/ingest/events/${EVENT}/results`, downhillResults({ version: 3, finished: 5 }));
  assert.equal(posted.status, 503, JSON.stringify(posted.body));
  assert.equal(posted.body.type, 'https://olympic-live.dev/problems/unavailable');
  const id = posted.headers.get('x-request-id');
  assert.ok(id, 'the problem names its request id');
  assert.ok(!JSON.stringify(posted.body).includes('could not be reached:'), 'the cause stays in the log');
  const line = await eventually(() => logLines().find((l) => l.request_id === id && l.level === 'error'));
  assert.ok(line, `no error line for ${id}`);
  assert.equal(line.worker, 'ingest-gateway');
  assert.equal(line.status, 503);
  assert.match(line.cause, /ALPMLOGTRACE could not be reached/);
});
