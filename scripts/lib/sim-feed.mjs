// A small scripted results feed for the local stack: defines an alpine downhill, then sends its start
// list, each racer's finish as a LIVE update, and the OFFICIAL result, over and over with rising versions.
// It speaks the ingest API exactly as a real timing feed would, with a fresh Access token.
import { signToken } from './access-keys.mjs';

export const DEMO_EVENT = 'ALPMDOWNHILL';

const RACERS = [
  ['ODERMATT', 'Marco Odermatt', 'SUI'], ['KRIECHMAYR', 'Vincent Kriechmayr', 'AUT'],
  ['KILDE', 'Aleksander Aamodt Kilde', 'NOR'], ['PARIS', 'Dominik Paris', 'ITA'],
  ['CROCI', 'Cyprien Sarrazin', 'FRA'], ['FEUZ', 'Franjo von Allmen', 'SUI'],
  ['BENNETT', 'Bryce Bennett', 'USA'], ['CRAWFORD', 'James Crawford', 'CAN'],
  ['ALEXANDER', 'Cameron Alexander', 'CAN'], ['SCHWARZ', 'Marco Schwarz', 'AUT'],
];

export function downhillDefinition(code = DEMO_EVENT) {
  return {
    code,
    name: "Men's Downhill",
    format: { type: 'lowest_time', precision: 'hundredths' },
    phases: [{ code: 'FNL', name: 'Final', units: ['FNL'] }],
    medal_unit: 'FNL',
    participants: RACERS.map(([id, name, noc]) => ({ id, name, noc, kind: 'athlete' })),
  };
}

/// The results message after `finished` racers have crossed the line in run `round`.
export function downhillResults({ version, finished, round = 0, status }) {
  const entries = RACERS.map(([competitor, name, noc], i) => {
    const entry = { competitor, name, noc, start_order: i + 1 };
    if (i < finished) {
      // Deterministic but different each round, with a tie now and then.
      const time = 102_000 + ((i * 7919 + round * 104_729) % 2_400);
      entry.mark = { kind: 'time', time_ms: time - (time % 10) };
    }
    return entry;
  });
  return {
    message_id: `sim-${round}-${version}`,
    unit: 'FNL',
    version,
    status: status ?? (finished === 0 ? 'START_LIST' : finished < RACERS.length ? 'LIVE' : 'UNOFFICIAL'),
    entries,
    // Once a race was OFFICIAL, changing it needs a note: the demo re-runs the same race every round.
    note: round > 0 ? `Simulated re-run ${round}` : undefined,
  };
}

/// Sends one message, retrying a few times: a local runtime that is reloading answers 503 for a moment,
/// and a real feed retries too (the same version twice is a harmless duplicate).
async function send(ingestUrl, method, path, body, attempts = 5) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await sendOnce(ingestUrl, method, path, body);
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

async function sendOnce(ingestUrl, method, path, body) {
  const res = await fetch(`${ingestUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'cf-access-jwt-assertion': signToken({ claims: { common_name: 'sim-feed.access' } }) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

const sleep = (ms, signal) => new Promise((resolve) => {
  const onAbort = () => { clearTimeout(timer); resolve(); };
  const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
  signal?.addEventListener('abort', onAbort, { once: true });
});

export async function runFeed({ ingestUrl, signal, intervalMs = 1000, log = () => {} }) {
  await send(ingestUrl, 'PUT', `/v1/ingest/events/${DEMO_EVENT}`, downhillDefinition());
  // Continue above whatever version an earlier run left, so a restarted feed is not ignored as stale.
  let version = Date.now(); // ms: a restart starts above any version the last run sent, one per ms at most
  // Every round carries a note (round > 0): a restarted feed may find the race OFFICIAL from an earlier
  // run (./scripts/dev keeps .dev/state), and changing an OFFICIAL result needs one.
  for (let round = 1; !signal?.aborted; round += 1) {
    for (let finished = 0; finished <= RACERS.length && !signal?.aborted; finished += 1) {
      version += 1;
      const receipt = await send(ingestUrl, 'POST', `/v1/ingest/events/${DEMO_EVENT}/results`, downhillResults({ version, finished, round }));
      log(`${DEMO_EVENT} v${version}: ${finished}/${RACERS.length} finished -> ${receipt.outcome}`);
      await sleep(intervalMs, signal);
    }
    version += 1;
    await send(ingestUrl, 'POST', `/v1/ingest/events/${DEMO_EVENT}/results`, downhillResults({ version, finished: RACERS.length, round, status: 'OFFICIAL' }));
    log(`${DEMO_EVENT} v${version}: OFFICIAL`);
    await sleep(intervalMs * 5, signal);
  }
}
