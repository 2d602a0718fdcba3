// A small downhill that many end-to-end tests post by hand: its definition, and its results after a number
// of racers have finished. (The simulated Games of ./scripts/dev is crates/sim.)
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
    // Once a race was OFFICIAL, changing it needs a note: tests re-run the same race in later rounds.
    note: round > 0 ? `Simulated re-run ${round}` : undefined,
  };
}
