//! A simulated Games checked against the domain's rules. The full Games and the short profile are built
//! once per test binary and shared.
//!
//! - `every_message_*`, `every_unit_*`, `every_event_*`: a full Games is valid message by message, and
//!   ends with every unit and event OFFICIAL.
//! - `medals_*`, `the_medal_table_*`: medals per event follow the ranks; the table is their sum.
//! - `the_same_seed_*`: the timeline is a pure function of seed and profile.
//! - `the_short_profile_*`: the scripted tie, IRMs, the correction with a note, the late disqualification.
//! - `knockout_*`: brackets are drawn from the group standings.
//! - `batches_*`, `athletes_*`, `fields_*`: batching limits, stable ids, realistic field sizes.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use domain::{
    CompetitorId, EventState, Irm, LeaderboardQuery, Medal, Noc, ResultStatus, ScoringFormat,
    UnitCode,
};
use sim::batch::{self, LIMITS, Prepared};
use sim::incidents::Feature;
use sim::{Outcome, Outgoing, Profile, Timeline};

fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => unreachable!("unexpected error: {error}"),
    }
}

fn some<T>(option: Option<T>, what: &str) -> T {
    match option {
        Some(value) => value,
        None => unreachable!("missing: {what}"),
    }
}

fn code<T: std::str::FromStr>(text: &str) -> T
where
    T::Err: std::fmt::Display,
{
    ok(text.parse())
}

fn games(profile: Profile) -> &'static (Timeline, Outcome) {
    static FULL: OnceLock<(Timeline, Outcome)> = OnceLock::new();
    static SHORT: OnceLock<(Timeline, Outcome)> = OnceLock::new();
    let cell = match profile {
        Profile::Full => &FULL,
        Profile::Short => &SHORT,
    };
    cell.get_or_init(|| {
        let timeline = ok(Timeline::build(2026, profile));
        let outcome = ok(Outcome::of(&timeline));
        (timeline, outcome)
    })
}

fn state<'a>(timeline: &'a Timeline, event: &str) -> &'a EventState {
    some(timeline.finals.get(event), event)
}

/// (gold, silver, bronze) of an event's expected medals.
fn counts(outcome: &Outcome, event: &str) -> (usize, usize, usize) {
    let medals = &some(outcome.events.get(event), event).medals;
    let of = |medal: Medal| medals.iter().filter(|m| m.medal == medal).count();
    (of(Medal::Gold), of(Medal::Silver), of(Medal::Bronze))
}

#[test]
fn every_message_of_a_full_games_is_applied_in_order() {
    // Outcome::of applies the timeline to fresh states and stops at the first refusal.
    let (timeline, outcome) = games(Profile::Full);
    let definitions = timeline
        .items
        .iter()
        .filter(|i| matches!(i.message, Outgoing::Definition(_)))
        .count();
    assert_eq!(definitions, 116);
    assert_eq!(outcome.not_applied, 0, "no message is a duplicate or stale");
    assert_eq!(outcome.applied, timeline.items.len() - definitions);
    let mut defined = BTreeSet::new();
    let mut last_at = 0;
    for (i, item) in timeline.items.iter().enumerate() {
        assert!(item.at_ms >= last_at, "message {i} goes back in time");
        last_at = item.at_ms;
        if matches!(item.message, Outgoing::Definition(_)) {
            assert!(
                defined.insert(item.event.clone()),
                "{} defined twice",
                item.event
            );
        } else {
            assert!(
                defined.contains(&item.event),
                "message {i} before its definition"
            );
        }
    }
    let versions: u64 = outcome.events.values().map(|e| e.event_version).sum();
    assert_eq!(
        versions as usize, outcome.applied,
        "each applied message is one event version"
    );
}

#[test]
fn every_unit_and_every_event_ends_official() {
    let (timeline, outcome) = games(Profile::Full);
    assert_eq!(outcome.events.len(), 116);
    for (code, state) in &timeline.finals {
        let definition = state.definition();
        for phase in &definition.phases {
            for unit in &phase.units {
                let results = some(state.unit(unit), &format!("{code} {unit}"));
                assert_eq!(results.status(), ResultStatus::Official, "{code} {unit}");
            }
        }
        let event = some(outcome.events.get(code), code);
        assert!(event.finished, "{code} is not finished");
        assert!(counts(outcome, code).0 >= 1, "{code} has no gold");
    }
}

/// The medals the ranks of an event's medal unit (and bronze unit) call for.
fn medals_by_rank(state: &EventState) -> (usize, usize, usize) {
    let definition = state.definition();
    let ranks = |unit: &UnitCode| -> Vec<u32> {
        let page = ok(state.leaderboard(&LeaderboardQuery {
            unit: Some(unit.clone()),
            limit: Some(500),
            ..Default::default()
        }));
        page.rows.iter().filter_map(|r| r.rank).collect()
    };
    let medal_ranks = ranks(&definition.medal_unit);
    let at = |rank: u32| medal_ranks.iter().filter(|r| **r == rank).count();
    match &definition.bronze_unit {
        Some(bronze) => (
            at(1),
            at(2),
            ranks(bronze).iter().filter(|r| **r == 1).count(),
        ),
        None => (at(1), at(2), at(3)),
    }
}

#[test]
fn medals_add_up_per_event() {
    let (timeline, outcome) = games(Profile::Full);
    let mut shared = Vec::new();
    for (code, state) in &timeline.finals {
        let expected = medals_by_rank(state);
        assert_eq!(counts(outcome, code), expected, "{code}");
        if expected != (1, 1, 1) {
            shared.push(code.as_str());
            let (gold, silver, bronze) = expected;
            assert!(
                gold >= 1 && gold + silver + bronze >= 3,
                "{code}: {expected:?}"
            );
        }
    }
    // Ties happen (to the hundredth in sliding, for instance), but they stay rare.
    assert!(shared.contains(&"ALPMDOWNHILL"));
    assert!(shared.len() <= 6, "{shared:?}");
}

#[test]
fn the_medal_table_is_the_sum_of_the_events_medals() {
    let (_, outcome) = games(Profile::Full);
    let mut per_noc: BTreeMap<Noc, [u32; 3]> = BTreeMap::new();
    for event in outcome.events.values() {
        for medal in &event.medals {
            let slot = match medal.medal {
                Medal::Gold => 0,
                Medal::Silver => 1,
                Medal::Bronze => 2,
            };
            if let Some(count) = per_noc.entry(medal.noc.clone()).or_default().get_mut(slot) {
                *count += 1;
            }
        }
    }
    let table: BTreeMap<Noc, [u32; 3]> = outcome
        .medal_table
        .rows
        .iter()
        .map(|row| {
            (
                row.noc.clone(),
                [row.counts.gold, row.counts.silver, row.counts.bronze],
            )
        })
        .collect();
    assert_eq!(table, per_noc);
    let keys: Vec<[u32; 3]> = outcome
        .medal_table
        .rows
        .iter()
        .map(|r| [r.counts.gold, r.counts.silver, r.counts.bronze])
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] >= w[1]),
        "gold first, then silver, then bronze"
    );
    // The traditional powers lead: Norway is among the top three by golds.
    let top: Vec<&str> = outcome
        .medal_table
        .rows
        .iter()
        .take(3)
        .map(|r| r.noc.as_str())
        .collect();
    assert!(top.contains(&"NOR"), "{top:?}");
}

fn serialised(timeline: &Timeline) -> Vec<u8> {
    ok(serde_json::to_vec(&timeline.items))
}

#[test]
fn the_same_seed_gives_the_same_games_and_another_seed_another() {
    let (short, _) = games(Profile::Short);
    let again = ok(Timeline::build(2026, Profile::Short));
    assert!(
        serialised(short) == serialised(&again),
        "the short profile is byte-identical"
    );
    let other = ok(Timeline::build(7, Profile::Short));
    assert!(serialised(short) != serialised(&other));
    assert_ne!(ok(short.fingerprint()), ok(other.fingerprint()));
    let (full, _) = games(Profile::Full);
    let full_again = ok(Timeline::build(2026, Profile::Full));
    assert_eq!(ok(full.fingerprint()), ok(full_again.fingerprint()));
    assert!(full.items == full_again.items);
}

fn feature<'a>(timeline: &'a Timeline, kind: &str) -> &'a Feature {
    let found = timeline.features.list.iter().find(|f| {
        let name = match f {
            Feature::TieAtMedal { .. } => "tie",
            Feature::Correction { .. } => "correction",
            Feature::LateDisqualification { .. } => "disqualification",
            Feature::Bracket { .. } => "bracket",
        };
        name == kind
    });
    some(found, kind)
}

#[test]
fn the_short_profile_has_a_tie_for_silver_and_no_bronze() {
    let (timeline, outcome) = games(Profile::Short);
    let Feature::TieAtMedal {
        event,
        medal,
        competitors,
        ..
    } = feature(timeline, "tie")
    else {
        unreachable!()
    };
    assert_eq!(*medal, Medal::Silver);
    assert_eq!(competitors.len(), 2);
    assert_eq!(counts(outcome, event), (1, 2, 0));
    let silver: BTreeSet<&CompetitorId> = some(outcome.events.get(event), event)
        .medals
        .iter()
        .filter(|m| m.medal == Medal::Silver)
        .map(|m| &m.competitor)
        .collect();
    assert_eq!(silver, competitors.iter().collect());
}

#[test]
fn the_short_profile_has_irregular_results() {
    let (timeline, _) = games(Profile::Short);
    let mut seen = BTreeSet::new();
    for item in &timeline.items {
        if let Outgoing::Results(message) = &item.message
            && message.status == ResultStatus::Official
        {
            seen.extend(message.entries.iter().filter_map(|e| e.irm));
        }
    }
    for irm in [Irm::Dnf, Irm::Dns, Irm::Dsq] {
        assert!(seen.contains(&irm), "{irm:?} in {seen:?}");
    }
}

/// The messages of one unit, in order.
fn unit_messages<'a>(
    timeline: &'a Timeline,
    event: &str,
    unit: &UnitCode,
) -> Vec<&'a domain::ResultsMessage> {
    timeline
        .items
        .iter()
        .filter(|i| i.event.as_str() == event)
        .filter_map(|i| match &i.message {
            Outgoing::Results(m) if &m.unit == unit => Some(m),
            _ => None,
        })
        .collect()
}

#[test]
fn the_short_profile_corrects_an_official_result_with_a_note() {
    let (timeline, outcome) = games(Profile::Short);
    let Feature::Correction {
        event,
        unit,
        competitor,
        note,
    } = feature(timeline, "correction")
    else {
        unreachable!()
    };
    let messages = unit_messages(timeline, event, unit);
    let at = some(
        messages
            .iter()
            .position(|m| m.note.as_deref() == Some(note.as_str())),
        "the noted message",
    );
    let corrected = some(messages.get(at), "the correction");
    assert_eq!(corrected.status, ResultStatus::Official);
    assert!(
        messages[..at]
            .iter()
            .any(|m| m.status == ResultStatus::Official),
        "it corrects an OFFICIAL result"
    );
    let before = some(messages.get(at - 1), "the result before");
    let line = |m: &domain::ResultsMessage| {
        m.entries
            .iter()
            .find(|e| &e.competitor == competitor)
            .and_then(|e| e.mark.clone())
    };
    assert_ne!(
        line(before),
        line(corrected),
        "the competitor's mark changed"
    );
    let audit = state(timeline, event).audit();
    assert!(
        audit
            .iter()
            .any(|entry| entry.correction && entry.note.as_deref() == Some(note.as_str()))
    );
    assert!(some(outcome.events.get(event), event).finished);
}

#[test]
fn the_short_profile_disqualifies_a_medallist_after_official_and_the_medals_move() {
    let (timeline, outcome) = games(Profile::Short);
    let Feature::LateDisqualification {
        event,
        unit,
        competitor,
        note,
        before,
        after,
    } = feature(timeline, "disqualification")
    else {
        unreachable!()
    };
    // Replay the event up to the disqualification, then apply it.
    let mut replayed: Option<EventState> = None;
    let mut medals_before = Vec::new();
    for item in timeline.items.iter().filter(|i| i.event.as_str() == event) {
        match &item.message {
            Outgoing::Definition(d) => replayed = Some(ok(EventState::try_new(d.clone()))),
            Outgoing::Results(m) => {
                let state = some(replayed.as_mut(), "defined");
                if m.note.as_deref() == Some(note.as_str()) {
                    assert_eq!(&m.unit, unit);
                    assert_eq!(m.status, ResultStatus::Official);
                    assert_eq!(
                        some(state.unit(unit), "results").status(),
                        ResultStatus::Official,
                        "already OFFICIAL"
                    );
                    medals_before = state.medals();
                    let disqualified = some(
                        m.entries.iter().find(|e| &e.competitor == competitor),
                        "the athlete",
                    );
                    assert_eq!(disqualified.irm, Some(Irm::Dsq));
                }
                ok(state.apply_results(
                    m.clone(),
                    &domain::ApplyContext {
                        feed: "t".into(),
                        received_at_ms: item.at_ms,
                    },
                ));
            }
            Outgoing::Game(_) => unreachable!("ski jumping has no games"),
        }
    }
    let medals_after = some(replayed, "the event").medals();
    let pairs = |medals: &[domain::MedalAward]| {
        medals
            .iter()
            .map(|m| (m.medal, m.competitor.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(&pairs(&medals_before), before);
    assert_eq!(&pairs(&medals_after), after);
    assert_ne!(before, after, "the medals moved");
    assert!(before.contains(&(Medal::Gold, competitor.clone())));
    assert!(
        !after.iter().any(|(_, c)| c == competitor),
        "the disqualified athlete keeps no medal"
    );
    let old_silver = some(before.iter().find(|(m, _)| *m == Medal::Silver), "a silver")
        .1
        .clone();
    assert!(
        after.contains(&(Medal::Gold, old_silver)),
        "silver moves up to gold"
    );
    let expected: Vec<(Medal, CompetitorId)> = some(outcome.events.get(event), event)
        .medals
        .iter()
        .map(|m| (m.medal, m.competitor.clone()))
        .collect();
    assert_eq!(&expected, after);
}

#[test]
fn the_full_games_has_every_incident_too() {
    let (timeline, _) = games(Profile::Full);
    for kind in ["tie", "correction", "disqualification", "bracket"] {
        feature(timeline, kind);
    }
}

/// The two teams of a game unit.
fn teams(state: &EventState, unit: &str) -> BTreeSet<CompetitorId> {
    let game = some(state.unit(&code(unit)).and_then(|u| u.game()), unit);
    [game.home.competitor.clone(), game.away.competitor.clone()]
        .into_iter()
        .collect()
}

fn winner(state: &EventState, unit: &str) -> CompetitorId {
    let game = some(state.unit(&code(unit)).and_then(|u| u.game()), unit);
    if game.home_score > game.away_score {
        game.home.competitor.clone()
    } else {
        game.away.competitor.clone()
    }
}

fn standings(state: &EventState, phase: &str) -> Vec<CompetitorId> {
    let page = ok(state.leaderboard(&LeaderboardQuery {
        unit: Some(code(phase)),
        limit: Some(100),
        ..Default::default()
    }));
    page.rows.into_iter().map(|r| r.competitor).collect()
}

fn set(ids: &[&CompetitorId]) -> BTreeSet<CompetitorId> {
    ids.iter().map(|id| (*id).clone()).collect()
}

#[test]
fn knockout_teams_come_from_the_group_standings() {
    let (timeline, _) = games(Profile::Full);
    for event in ["CURMTEAM", "CURWTEAM", "CURXMIXEDDOUBLES"] {
        let state = state(timeline, event);
        let table = standings(state, "RR");
        let [first, second, third, fourth] =
            [0, 1, 2, 3].map(|i| some(table.get(i), "a top-four team"));
        assert_eq!(
            teams(state, "SFNL-G01"),
            set(&[first, fourth]),
            "{event}: 1 v 4"
        );
        assert_eq!(
            teams(state, "SFNL-G02"),
            set(&[second, third]),
            "{event}: 2 v 3"
        );
    }
    let women = state(timeline, "IHOWTOURNAMENT");
    let mut quarter_teams = BTreeSet::new();
    for g in 1..=4 {
        quarter_teams.extend(teams(women, &format!("QFNL-G{g:02}")));
    }
    let mut expected: BTreeSet<CompetitorId> = standings(women, "GRPA").into_iter().collect();
    expected.extend(standings(women, "GRPB").into_iter().take(3));
    assert_eq!(
        quarter_teams, expected,
        "all of group A and the top three of group B"
    );
    let men = state(timeline, "IHOMTOURNAMENT");
    let mut play_off_teams = BTreeSet::new();
    for g in 1..=4 {
        play_off_teams.extend(teams(men, &format!("QPO-G{g:02}")));
    }
    let group_winners: BTreeSet<CompetitorId> = ["GRPA", "GRPB", "GRPC"]
        .iter()
        .filter_map(|g| standings(men, g).into_iter().next())
        .collect();
    assert!(
        play_off_teams.is_disjoint(&group_winners),
        "group winners skip the qualification play-offs"
    );
    assert_eq!(play_off_teams.len(), 8);
    for state in [women, men] {
        let semis = ["SFNL-G01", "SFNL-G02"];
        let winners = set(&[&winner(state, semis[0]), &winner(state, semis[1])]);
        assert_eq!(
            teams(state, "GOLD-G01"),
            winners,
            "the semi-final winners play for gold"
        );
        let all: BTreeSet<CompetitorId> = semis.iter().flat_map(|s| teams(state, s)).collect();
        let losers: BTreeSet<CompetitorId> = all.difference(&winners).cloned().collect();
        assert_eq!(
            teams(state, "BRNZ-G01"),
            losers,
            "the semi-final losers play for bronze"
        );
    }
}

#[test]
fn batches_of_a_whole_games_stay_within_the_limits() {
    let (timeline, _) = games(Profile::Full);
    let prepared: Vec<Prepared> = timeline
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| ok(Prepared::new(i, item)))
        .collect();
    let largest = prepared.iter().map(|p| p.message_bytes).max().unwrap_or(0);
    assert!(
        largest <= LIMITS.max_message_bytes,
        "a message of {largest} bytes"
    );
    let refs: Vec<&Prepared> = prepared.iter().collect();
    let chunks = batch::split(&refs, LIMITS);
    assert_eq!(chunks.iter().map(|c| c.len()).sum::<usize>(), refs.len());
    for chunk in chunks {
        let messages = some(refs.get(chunk.clone()), "a chunk");
        assert!(messages.len() <= LIMITS.max_messages);
        assert!(ok(batch::body(messages)).len() <= LIMITS.max_body_bytes);
    }
}

#[test]
fn athletes_keep_one_id_across_events() {
    let (timeline, _) = games(Profile::Full);
    let mut seen: BTreeMap<CompetitorId, (String, Noc)> = BTreeMap::new();
    let mut in_several = 0;
    for state in timeline.finals.values() {
        for participant in &state.definition().participants {
            let people: Vec<(CompetitorId, String)> = if participant.members.is_empty() {
                vec![(participant.id.clone(), participant.name.clone())]
            } else {
                participant
                    .members
                    .iter()
                    .map(|m| (m.id.clone(), m.name.clone()))
                    .collect()
            };
            for (id, name) in people {
                match seen.get(&id) {
                    Some((known, noc)) => {
                        assert_eq!((known, noc), (&name, &participant.noc), "{id}");
                        in_several += 1;
                    }
                    None => {
                        seen.insert(id, (name, participant.noc.clone()));
                    }
                }
            }
        }
    }
    assert!(in_several > 500, "athletes in several events: {in_several}");
}

fn check_field(timeline: &Timeline, event: &str, sizes: std::ops::RangeInclusive<usize>) {
    let count = state(timeline, event).definition().participants.len();
    assert!(
        sizes.contains(&count),
        "{event}: {count} entries, expected {sizes:?}"
    );
}

#[test]
fn fields_have_realistic_sizes() {
    let (timeline, _) = games(Profile::Full);
    check_field(timeline, "ALPMDOWNHILL", 45..=50);
    check_field(timeline, "ALPMSLALOM", 75..=90);
    check_field(timeline, "BTHMSPRINT", 85..=100);
    check_field(timeline, "BTHWMASSSTART", 30..=30);
    check_field(timeline, "STKW500M", 32..=32);
    check_field(timeline, "FSKWSINGLES", 28..=30);
    check_field(timeline, "SSKM5000M", 18..=20);
    check_field(timeline, "IHOMTOURNAMENT", 12..=12);
    check_field(timeline, "BTHMRELAY", 14..=22);
    let relay = state(timeline, "BTHMRELAY");
    assert!(
        relay
            .definition()
            .participants
            .iter()
            .all(|team| team.members.len() == 4)
    );
    assert!(matches!(
        relay.definition().format,
        ScoringFormat::FinishOrder { .. }
    ));
}

#[test]
fn medal_changes_are_revisions_only_when_a_medal_is_taken_away() {
    // A bronze game played before the final adds medals; only the late disqualification revises them.
    let (timeline, _) = games(Profile::Short);
    let mut replay = sim::outcome::Replay::new();
    let mut changes = Vec::new();
    for item in &timeline.items {
        if let Some(change) = ok(replay.apply(item)) {
            changes.push((change.event, change.reallocated));
        }
    }
    let revised: Vec<&str> = changes
        .iter()
        .filter(|(_, r)| *r)
        .map(|(e, _)| e.as_str())
        .collect();
    assert_eq!(revised, vec!["SJPMNORMALHILL"], "{changes:?}");
    assert_eq!(
        changes
            .iter()
            .filter(|(e, _)| e == "IHOWTOURNAMENT")
            .count(),
        2,
        "bronze game, then the final"
    );
}

#[test]
fn games_have_overtime_shoot_outs_extra_ends_and_draw_shots() {
    let (timeline, _) = games(Profile::Full);
    let mut decided = BTreeSet::new();
    let mut draw_shots = 0;
    for item in &timeline.items {
        if let Outgoing::Game(game) = &item.message
            && game.status == ResultStatus::Official
        {
            decided.insert((
                item.event.as_str().get(..3).unwrap_or("").to_owned(),
                format!("{:?}", game.decided_in),
            ));
            draw_shots += usize::from(game.home.dsc_cm.is_some() && game.away.dsc_cm.is_some());
        }
    }
    for (discipline, how) in [
        ("IHO", "Regulation"),
        ("IHO", "Overtime"),
        ("IHO", "Shootout"),
        ("CUR", "Regulation"),
        ("CUR", "ExtraEnd"),
    ] {
        assert!(
            decided.contains(&(discipline.to_owned(), how.to_owned())),
            "{discipline} {how}: {decided:?}"
        );
    }
    assert_eq!(
        draw_shots,
        3 * 45,
        "every curling round-robin game carries both teams' draw-shot challenge"
    );
}
