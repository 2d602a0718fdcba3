// The zone's WAF and rate-limiting rules are files in deploy/rules/, one per Rulesets API phase entry point,
// applied by `scripts/deploy rules`. This checks their shape (no stack needed): each file is the body of
// PUT /zones/{zone}/rulesets/phases/{phase}/entrypoint, every rule is complete and enabled, refs are unique,
// rate limits use the periods Cloudflare accepts, and expressions are balanced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'deploy', 'rules');
const PHASES = new Set(['http_request_firewall_custom', 'http_ratelimit']);
const ACTIONS = new Set(['block', 'managed_challenge', 'js_challenge', 'challenge', 'log', 'skip']);
const PERIODS = new Set([10, 60, 120, 300, 600, 3600]);
const TIMEOUTS = new Set([0, 60, 120, 300, 600, 3600, 86400]);

const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

function balanced(expression) {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < expression.length; i += 1) {
    const c = expression[i];
    if (c === '\\') { i += 1; continue; }
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '(' || c === '{' || c === '[')) depth += 1;
    else if (!quoted && (c === ')' || c === '}' || c === ']')) depth -= 1;
    if (depth < 0) return false;
  }
  return depth === 0 && !quoted;
}

test('every rules file names a phase entry point this zone uses', () => {
  assert.deepEqual(new Set(files.map((f) => f.replace(/\.json$/, ''))), PHASES);
});

for (const file of files) {
  const phase = file.replace(/\.json$/, '');
  test(`${file} is a Rulesets API entry point body with complete rules`, () => {
    const body = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
    assert.deepEqual(Object.keys(body).sort(), ['description', 'rules']);
    assert.ok(body.rules.length > 0);
    const refs = new Set();
    for (const rule of body.rules) {
      const allowed = ['ref', 'description', 'expression', 'action', 'enabled', ...(phase === 'http_ratelimit' ? ['ratelimit'] : [])];
      for (const key of Object.keys(rule)) assert.ok(allowed.includes(key), `${rule.ref}: unexpected ${key}`);
      assert.match(rule.ref, /^olympic_[a-z_]+$/);
      assert.ok(!refs.has(rule.ref), `duplicate ref ${rule.ref}`);
      refs.add(rule.ref);
      assert.ok(rule.description.length > 10, `${rule.ref}: say why`);
      assert.ok(ACTIONS.has(rule.action), `${rule.ref}: action ${rule.action}`);
      assert.equal(rule.enabled, true, `${rule.ref}: a disabled rule protects nothing`);
      assert.ok(rule.expression.length <= 4096 && balanced(rule.expression), `${rule.ref}: expression`);
      if (phase === 'http_ratelimit') {
        const rl = rule.ratelimit;
        assert.ok(rl, `${rule.ref}: a rate-limiting rule needs ratelimit`);
        assert.ok(rl.characteristics.includes('cf.colo.id'), `${rule.ref}: Cloudflare requires cf.colo.id`);
        assert.ok(rl.characteristics.includes('ip.src'), `${rule.ref}: counted per client`);
        assert.ok(PERIODS.has(rl.period), `${rule.ref}: period ${rl.period}`);
        assert.ok(TIMEOUTS.has(rl.mitigation_timeout), `${rule.ref}: mitigation_timeout ${rl.mitigation_timeout}`);
        assert.ok(Number.isInteger(rl.requests_per_period) && rl.requests_per_period > 0);
        if (rl.counting_expression !== undefined) assert.ok(balanced(rl.counting_expression));
      }
    }
  });
}

test('the edge rules are never looser than the Workers\' own limits', () => {
  const rl = JSON.parse(readFileSync(join(DIR, 'http_ratelimit.json'), 'utf8')).rules;
  const read = rl.find((r) => r.ref === 'olympic_read_flood').ratelimit;
  // The read gateway allows 300 per 10 s per location; the edge rule is the ceiling above it, not below.
  assert.ok(read.period === 10 && read.requests_per_period >= 300);
  const custom = JSON.parse(readFileSync(join(DIR, 'http_request_firewall_custom.json'), 'utf8')).rules;
  assert.ok(custom.some((r) => r.expression.includes('"GET" "HEAD" "OPTIONS"')), 'read methods are restricted at the edge');
});
