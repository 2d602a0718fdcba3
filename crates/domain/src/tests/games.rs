//! Ice hockey and curling: round-robin standings with their tie-breaks, knockout medals, game validation.

use super::support::*;
use crate::*;

/// A tournament: a round-robin group of `group_games` games, a final and a bronze game.
fn tournament(event: &str, rules: RoundRobinRules, group_games: usize) -> EventDefinition {
    let game_rules = rules.game_rules();
    let mut definition = single_unit_event(
        event,
        ScoringFormat::Knockout {
            sport_rules: game_rules,
        },
    );
    definition.phases = vec![
        PhaseDefinition {
            code: code("GRPA"),
            name: "Group A".into(),
            units: (1..=group_games)
                .map(|g| code(&format!("GRPA-G{g:02}")))
                .collect(),
            format: Some(ScoringFormat::RoundRobin { rules }),
            advancement: None,
        },
        PhaseDefinition {
            code: code("BRNZ"),
            name: "Bronze medal game".into(),
            units: vec![code("BRNZ-G01")],
            format: None,
            advancement: None,
        },
        PhaseDefinition {
            code: code("FNL"),
            name: "Gold medal game".into(),
            units: vec![code("FNL-G01")],
            format: None,
            advancement: None,
        },
    ];
    definition.medal_unit = code("FNL-G01");
    definition.bronze_unit = Some(code("BRNZ-G01"));
    definition.schedule = vec![ScheduledUnit {
        unit: code("FNL-G01"),
        day: code("2026-02-22"),
        start_utc_ms: None,
    }];
    definition
}

fn hockey() -> EventDefinition {
    tournament(
        "IHOMTOURNAMENT",
        RoundRobinRules::IceHockey {
            points: HockeyPoints::default(),
        },
        6,
    )
}

fn curling() -> EventDefinition {
    tournament("CURWTOURNAMENT", RoundRobinRules::Curling, 6)
}

fn side(id: &str) -> GameSide {
    GameSide {
        competitor: code(id),
        name: format!("Team {id}"),
        noc: code(noc_for_team(id)),
        dsc_cm: None,
    }
}

/// Team ids are NOC codes, or a letter mapped to one.
fn noc_for_team(id: &str) -> &str {
    if id.len() == 3 { id } else { noc_of(id) }
}

fn game(
    unit: &str,
    home: &str,
    away: &str,
    score: (u32, u32),
    decided_in: DecidedIn,
) -> GameResult {
    GameResult {
        message_id: format!("{unit}-v1"),
        unit: code(unit),
        version: 1,
        status: ResultStatus::Official,
        home: side(home),
        away: side(away),
        home_score: score.0,
        away_score: score.1,
        decided_in,
        note: None,
    }
}

fn play(state: &mut EventState, games: Vec<GameResult>) {
    for g in games {
        match ok(state.apply_game(g, &ctx())) {
            ApplyOutcome::Applied(_) => {}
            other => unreachable!("{other:?}"),
        }
    }
}

/// Rendered standings with the mark (points or W–L).
fn standings(state: &EventState) -> String {
    board(state, "GRPA")
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn hockey_group_decided_by_head_to_head() {
    use DecidedIn::*;
    let mut state = ok(EventState::try_new(hockey()));
    play(
        &mut state,
        vec![
            game("GRPA-G01", "CAN", "SWE", (8, 0), Regulation),
            game("GRPA-G02", "USA", "FIN", (3, 2), Overtime),
            game("GRPA-G03", "CAN", "FIN", (4, 1), Regulation),
            game("GRPA-G04", "USA", "SWE", (2, 1), Regulation),
            game("GRPA-G05", "USA", "CAN", (2, 1), Shootout),
            game("GRPA-G06", "SWE", "FIN", (2, 1), Regulation),
        ],
    );
    // Canada's +10 goal difference does not matter: the USA won the game between them.
    check(
        &standings(&state),
        "
        1 USA 7 pts
        2 CAN 7 pts
        3 SWE 3 pts
        4 FIN 1 pts
        ",
    );
    let page = ok(state.leaderboard(&LeaderboardQuery {
        unit: Some(code("GRPA")),
        ..Default::default()
    }));
    assert_eq!(page.status, ResultStatus::Official);
    let can = page
        .rows
        .iter()
        .find(|r| r.competitor.as_str() == "CAN")
        .and_then(|r| r.record.clone());
    assert_eq!(
        can.map(|r| (r.wins, r.overtime_losses, r.goals_for, r.goals_against)),
        Some((2, 1, 13, 3))
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn hockey_three_way_tie_goes_to_the_mini_table() {
    use DecidedIn::Regulation;
    let mut state = ok(EventState::try_new(hockey()));
    play(
        &mut state,
        vec![
            game("GRPA-G01", "A", "B", (3, 0), Regulation),
            game("GRPA-G02", "B", "C", (2, 1), Regulation),
            game("GRPA-G03", "C", "A", (2, 1), Regulation),
            game("GRPA-G04", "A", "D", (1, 0), Regulation),
            game("GRPA-G05", "B", "D", (5, 0), Regulation),
            game("GRPA-G06", "C", "D", (1, 0), Regulation),
        ],
    );
    // Among A, B, C: goal difference +2, 0, −2. B's 5–0 against D does not count.
    check(
        &standings(&state),
        "1 A 6 pts\n2 C 6 pts\n3 B 6 pts\n4 D 0 pts",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn curling_ties_by_head_to_head() {
    use DecidedIn::*;
    let mut state = ok(EventState::try_new(curling()));
    let mut with_dsc = game("GRPA-G06", "R", "S", (5, 7), ExtraEnd);
    with_dsc.home.dsc_cm = Some(5.0);
    play(
        &mut state,
        vec![
            game("GRPA-G01", "P", "Q", (6, 5), Regulation),
            game("GRPA-G02", "P", "R", (3, 8), Regulation),
            game("GRPA-G03", "P", "S", (7, 2), Regulation),
            game("GRPA-G04", "Q", "R", (9, 4), Regulation),
            game("GRPA-G05", "Q", "S", (6, 5), ExtraEnd),
            with_dsc,
        ],
    );
    // P and Q are 2–1 and P beat Q; R and S are 1–2 and S beat R (R's better DSC does not matter).
    check(&standings(&state), "1 P 2–1\n2 Q 2–1\n3 S 1–2\n4 R 1–2");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn curling_circular_tie_goes_to_the_draw_shot_challenge() {
    use DecidedIn::Regulation;
    let mut state = ok(EventState::try_new(curling()));
    let with = |mut g: GameResult, home: f64, away: f64| {
        g.home.dsc_cm = Some(home);
        g.away.dsc_cm = Some(away);
        g
    };
    play(
        &mut state,
        vec![
            game("GRPA-G01", "P", "Q", (6, 5), Regulation),
            game("GRPA-G02", "Q", "R", (6, 5), Regulation),
            game("GRPA-G03", "R", "P", (6, 5), Regulation),
            with(game("GRPA-G04", "P", "S", (6, 5), Regulation), 31.2, 50.0),
            with(game("GRPA-G05", "Q", "S", (6, 5), Regulation), 20.5, 50.0),
            with(game("GRPA-G06", "R", "S", (6, 5), Regulation), 25.0, 50.0),
        ],
    );
    check(&standings(&state), "1 Q 2–1\n2 R 2–1\n3 P 2–1\n4 S 0–3");
    // Equal DSCs stay tied and share the rank.
    let mut state = ok(EventState::try_new(curling()));
    play(
        &mut state,
        vec![
            game("GRPA-G01", "P", "Q", (6, 5), Regulation),
            game("GRPA-G02", "Q", "R", (6, 5), Regulation),
            game("GRPA-G03", "R", "P", (6, 5), Regulation),
        ],
    );
    check(&standings(&state), "1= P 1–1\n1= Q 1–1\n1= R 1–1");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn knockout_final_and_bronze_game_award_medals() {
    let mut state = ok(EventState::try_new(hockey()));
    let mut final_game = game("FNL-G01", "USA", "CAN", (3, 2), DecidedIn::Overtime);
    final_game.status = ResultStatus::Live;
    play(
        &mut state,
        vec![
            final_game.clone(),
            game("BRNZ-G01", "SWE", "FIN", (4, 1), DecidedIn::Regulation),
        ],
    );
    assert_eq!(
        state.medals().len(),
        1,
        "bronze is decided before the final"
    );
    final_game.version = 2;
    final_game.status = ResultStatus::Official;
    play(&mut state, vec![final_game]);
    let medals: Vec<(String, Medal, CompetitorKind, Option<String>)> = state
        .medals()
        .iter()
        .map(|a| {
            (
                a.competitor.to_string(),
                a.medal,
                a.kind,
                a.day.as_ref().map(ToString::to_string),
            )
        })
        .collect();
    let day = Some("2026-02-22".to_owned());
    assert_eq!(
        medals,
        vec![
            ("USA".into(), Medal::Gold, CompetitorKind::Team, day.clone()),
            (
                "CAN".into(),
                Medal::Silver,
                CompetitorKind::Team,
                day.clone()
            ),
            ("SWE".into(), Medal::Bronze, CompetitorKind::Team, day),
        ]
    );
    check(&board(&state, "FNL-G01"), "1 USA 3 GOLD\n2 CAN 2 SILVER");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn invalid_games_are_rejected_with_their_field() {
    let cases: Vec<(GameResult, &str)> = vec![
        (
            game("GRPA-G01", "A", "B", (3, 2), DecidedIn::ExtraEnd),
            "decided_in",
        ),
        (
            game("GRPA-G01", "A", "B", (2, 2), DecidedIn::Regulation),
            "away_score",
        ),
        (
            game("GRPA-G01", "A", "B", (4, 2), DecidedIn::Shootout),
            "decided_in",
        ),
        (
            game("GRPA-G01", "A", "A", (4, 2), DecidedIn::Regulation),
            "away.competitor",
        ),
        (
            game("GRPA-G01", "A", "B", (100, 2), DecidedIn::Regulation),
            "home_score",
        ),
        (
            game("GRPA-G09", "A", "B", (1, 0), DecidedIn::Regulation),
            "unit",
        ),
        (
            {
                let mut g = game("GRPA-G01", "A", "B", (1, 0), DecidedIn::Regulation);
                g.home.dsc_cm = Some(10.0);
                g
            },
            "home.dsc_cm",
        ),
    ];
    let mut state = ok(EventState::try_new(hockey()));
    for (g, path) in cases {
        let error = err(state.apply_game(g, &ctx()));
        assert_eq!(error.field_path(), Some(path), "{error}");
    }
    assert_eq!(state.version(), 0);
    let error = err(state.apply_results(msg("GRPA-G01", 1, ResultStatus::Live, vec![]), &ctx()));
    assert!(
        matches!(error, DomainError::WrongMessageKind { .. }),
        "{error}"
    );
    let mut timed = ok(EventState::try_new(single_unit_event(
        "ALPMDOWNHILL",
        hundredths(),
    )));
    let error = err(timed.apply_game(game("FNL", "A", "B", (1, 0), DecidedIn::Regulation), &ctx()));
    assert!(
        matches!(error, DomainError::WrongMessageKind { .. }),
        "{error}"
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn live_games_list_teams_but_do_not_count() {
    let mut state = ok(EventState::try_new(hockey()));
    let mut live = game("GRPA-G01", "A", "B", (2, 0), DecidedIn::Regulation);
    live.status = ResultStatus::Live;
    play(&mut state, vec![live]);
    check(&standings(&state), "1= A 0 pts\n1= B 0 pts");
    let page = ok(state.leaderboard(&LeaderboardQuery {
        unit: Some(code("GRPA")),
        ..Default::default()
    }));
    assert_eq!(page.status, ResultStatus::Intermediate);
}

/// Five teams, every game in regulation: A, B and C beat each other in a circle 2–1 and all beat D and
/// E; D beats E. A, B and C are equal on 9 points and on everything among themselves (IIHF steps 1–3).
fn five_team_group(against_d: [(u32, u32); 3], against_e: [(u32, u32); 3]) -> Vec<GameResult> {
    use DecidedIn::Regulation;
    let mut games = vec![
        game("GRPA-G01", "A", "B", (2, 1), Regulation),
        game("GRPA-G02", "B", "C", (2, 1), Regulation),
        game("GRPA-G03", "C", "A", (2, 1), Regulation),
        game("GRPA-G04", "D", "E", (1, 0), Regulation),
    ];
    for (i, (team, score)) in ["A", "B", "C"].iter().zip(against_d).enumerate() {
        games.push(game(
            &format!("GRPA-G{:02}", 5 + i),
            team,
            "D",
            score,
            Regulation,
        ));
    }
    for (i, (team, score)) in ["A", "B", "C"].iter().zip(against_e).enumerate() {
        games.push(game(
            &format!("GRPA-G{:02}", 8 + i),
            team,
            "E",
            score,
            Regulation,
        ));
    }
    games
}

fn five_team_standings(games: Vec<GameResult>, seeding: &[&str]) -> String {
    let mut definition = tournament(
        "IHOMTOURNAMENT",
        RoundRobinRules::IceHockey {
            points: HockeyPoints::default(),
        },
        10,
    );
    definition.seeding = seeding.iter().map(|s| code(s)).collect();
    let mut state = ok(EventState::try_new(definition));
    play(&mut state, games);
    standings(&state)
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn hockey_step_4_results_against_the_best_placed_team_outside_the_tie() {
    // Against D (best-placed outside the tie): C +3, B +2, A +1. A's 9–0 against E, which made A first
    // on overall goal difference before, does not count at this step.
    check(
        &five_team_standings(
            five_team_group([(1, 0), (2, 0), (3, 0)], [(9, 0), (1, 0), (1, 0)]),
            &[],
        ),
        "1 C 9 pts\n2 B 9 pts\n3 A 9 pts\n4 D 3 pts\n5 E 0 pts",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn hockey_step_5_then_step_6_seeding() {
    // Equal against D too, so E (the next best-placed) decides: B +3, A +2, C +1.
    check(
        &five_team_standings(five_team_group([(1, 0); 3], [(2, 0), (3, 0), (1, 0)]), &[]),
        "1 B 9 pts\n2 A 9 pts\n3 C 9 pts\n4 D 3 pts\n5 E 0 pts",
    );
    // Equal against everyone: the seeding decides; an unseeded team comes after the seeded ones.
    check(
        &five_team_standings(five_team_group([(1, 0); 3], [(1, 0); 3]), &["C", "A"]),
        "1 C 9 pts\n2 A 9 pts\n3 B 9 pts\n4 D 3 pts\n5 E 0 pts",
    );
    // Without any seeding they stay tied and share the rank.
    check(
        &five_team_standings(five_team_group([(1, 0); 3], [(1, 0); 3]), &[]),
        "1= A 9 pts\n1= B 9 pts\n1= C 9 pts\n4 D 3 pts\n5 E 0 pts",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn hockey_step_4_separating_one_team_sends_the_other_two_back_to_their_game() {
    // Against D: C +3, A and B +1 each, so C is first; A and B, still tied, are decided by step 1 among
    // themselves: A beat B.
    check(
        &five_team_standings(
            five_team_group([(1, 0), (1, 0), (3, 0)], [(1, 0), (9, 0), (1, 0)]),
            &[],
        ),
        "1 C 9 pts\n2 A 9 pts\n3 B 9 pts\n4 D 3 pts\n5 E 0 pts",
    );
}

/// A group of four, semi-finals 1 v 4 and 2 v 3, a final of the winners and a bronze game of the losers.
fn bracket_tournament() -> EventDefinition {
    let mut definition = hockey();
    definition.phases.insert(
        1,
        PhaseDefinition {
            code: code("SFNL"),
            name: "Semi-finals".into(),
            units: vec![code("SFNL-G01"), code("SFNL-G02")],
            format: None,
            advancement: None,
        },
    );
    let json = r#"[
        {"unit":"SFNL-G01","home":{"standing":{"phase":"GRPA","rank":1}},"away":{"standing":{"phase":"GRPA","rank":4}}},
        {"unit":"SFNL-G02","home":{"standing":{"phase":"GRPA","rank":2}},"away":{"standing":{"phase":"GRPA","rank":3}}},
        {"unit":"FNL-G01","home":{"winner":"SFNL-G01"},"away":{"winner":"SFNL-G02"}},
        {"unit":"BRNZ-G01","home":{"loser":"SFNL-G01"},"away":{"loser":"SFNL-G02"}}
    ]"#;
    definition.bracket = serde_json::from_str(json).unwrap_or_else(|e| unreachable!("{e}"));
    definition
}

/// The bracket rendered one game a line: `unit home–away`, `?` for an undecided side.
fn bracket(state: &EventState) -> String {
    state
        .bracket()
        .iter()
        .map(|line| {
            let team = |side: &BracketSide| {
                side.competitor
                    .as_ref()
                    .map_or_else(|| "?".to_owned(), ToString::to_string)
            };
            format!("{} {}–{}", line.unit, team(&line.home), team(&line.away))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_bracket_derives_who_plays_and_refuses_a_game_between_others() {
    use DecidedIn::*;
    let mut state = ok(EventState::try_new(bracket_tournament()));
    check(
        &bracket(&state),
        "SFNL-G01 ?–?\nSFNL-G02 ?–?\nFNL-G01 ?–?\nBRNZ-G01 ?–?",
    );
    play(
        &mut state,
        vec![
            game("GRPA-G01", "CAN", "SWE", (8, 0), Regulation),
            game("GRPA-G02", "USA", "FIN", (3, 2), Overtime),
            game("GRPA-G03", "CAN", "FIN", (4, 1), Regulation),
            game("GRPA-G04", "USA", "SWE", (2, 1), Regulation),
            game("GRPA-G05", "USA", "CAN", (2, 1), Shootout),
        ],
    );
    // Standings that are not final yet send nobody on.
    check(
        &bracket(&state),
        "SFNL-G01 ?–?\nSFNL-G02 ?–?\nFNL-G01 ?–?\nBRNZ-G01 ?–?",
    );
    play(
        &mut state,
        vec![game("GRPA-G06", "SWE", "FIN", (2, 1), Regulation)],
    );
    check(
        &bracket(&state),
        "SFNL-G01 USA–FIN\nSFNL-G02 CAN–SWE\nFNL-G01 ?–?\nBRNZ-G01 ?–?",
    );
    // A semi-final between teams the bracket does not send there changes nothing.
    let before = state.clone();
    let error = err(state.apply_game(game("SFNL-G01", "USA", "SWE", (3, 1), Regulation), &ctx()));
    assert_eq!(error.field_path(), Some("away.competitor"), "{error}");
    assert!(
        error.to_string().contains("FIN (rank 4 of GRPA)"),
        "{error}"
    );
    assert_eq!(state, before);
    // Either side may be home; the winners move on to the final, the losers to the bronze game.
    play(
        &mut state,
        vec![
            game("SFNL-G01", "FIN", "USA", (1, 3), Regulation),
            game("SFNL-G02", "CAN", "SWE", (5, 2), Regulation),
        ],
    );
    check(
        &bracket(&state),
        "SFNL-G01 USA–FIN\nSFNL-G02 CAN–SWE\nFNL-G01 USA–CAN\nBRNZ-G01 FIN–SWE",
    );
    let error = err(state.apply_game(game("FNL-G01", "USA", "SWE", (2, 1), Regulation), &ctx()));
    assert_eq!(error.field_path(), Some("away.competitor"), "{error}");
    play(
        &mut state,
        vec![
            game("FNL-G01", "CAN", "USA", (2, 1), Overtime),
            game("BRNZ-G01", "SWE", "FIN", (3, 2), Shootout),
        ],
    );
    // The event's final ranking: the final, the bronze game, then the group (nobody is left there).
    let page = ok(state.leaderboard(&LeaderboardQuery {
        final_ranking: true,
        ..Default::default()
    }));
    let ranking: Vec<(Option<u32>, String, Option<Medal>)> = page
        .rows
        .iter()
        .map(|r| (r.rank, r.competitor.to_string(), r.medal))
        .collect();
    assert_eq!(
        ranking,
        vec![
            (Some(1), "CAN".into(), Some(Medal::Gold)),
            (Some(2), "USA".into(), Some(Medal::Silver)),
            (Some(3), "SWE".into(), Some(Medal::Bronze)),
            (Some(4), "FIN".into(), None),
        ]
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn knockout_losers_of_one_round_rank_by_their_group_rank() {
    use DecidedIn::Regulation;
    // Six teams: group of six, then semi-finals of the top four; the two not in the play-offs rank
    // 5 and 6 by the group, the semi-final losers 3 and 4 by the bronze game.
    let mut definition = tournament(
        "IHOWTOURNAMENT",
        RoundRobinRules::IceHockey {
            points: HockeyPoints::default(),
        },
        15,
    );
    definition.phases.insert(
        1,
        PhaseDefinition {
            code: code("SFNL"),
            name: "Semi-finals".into(),
            units: vec![code("SFNL-G01"), code("SFNL-G02")],
            format: None,
            advancement: None,
        },
    );
    let mut state = ok(EventState::try_new(definition));
    let teams = ["A", "B", "C", "D", "E", "F"];
    let mut games = Vec::new();
    let mut n = 0;
    for (i, home) in teams.iter().enumerate() {
        for away in teams.iter().skip(i + 1) {
            n += 1;
            // The team earlier in the alphabet always wins: A first, F last.
            games.push(game(
                &format!("GRPA-G{n:02}"),
                home,
                away,
                (1, 0),
                Regulation,
            ));
        }
    }
    play(&mut state, games);
    play(
        &mut state,
        vec![
            game("SFNL-G01", "A", "D", (1, 2), Regulation),
            game("SFNL-G02", "B", "C", (3, 0), Regulation),
        ],
    );
    // Before the medal games: the semi-final winners, then the losers, each by group rank (B before D,
    // A before C), then E and F from the group.
    let ranked = |state: &EventState| {
        ok(state.leaderboard(&LeaderboardQuery {
            final_ranking: true,
            ..Default::default()
        }))
        .rows
        .iter()
        .map(|r| {
            format!(
                "{}{}",
                r.rank.map_or("-".into(), |x| x.to_string()),
                r.competitor
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
    };
    assert_eq!(ranked(&state), "1B 2D 3A 4C 5E 6F");
    play(
        &mut state,
        vec![
            game("FNL-G01", "D", "B", (2, 1), Regulation),
            game("BRNZ-G01", "C", "A", (4, 1), Regulation),
        ],
    );
    assert_eq!(ranked(&state), "1D 2B 3C 4A 5E 6F");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_bracket_must_name_knockout_games_and_real_feeders() {
    let cases = [
        (
            r#"[{"unit":"GRPA-G01","home":{"winner":"FNL-G01"},"away":{"winner":"BRNZ-G01"}}]"#,
            "bracket[0].unit",
        ),
        (
            r#"[{"unit":"FNL-G01","home":{"winner":"FNL-G01"},"away":{"winner":"BRNZ-G01"}}]"#,
            "bracket[0].home.winner",
        ),
        (
            r#"[{"unit":"FNL-G01","home":{"winner":"BRNZ-G01"},"away":{"loser":"NOPE"}}]"#,
            "bracket[0].away.loser",
        ),
        (
            r#"[{"unit":"FNL-G01","home":{"standing":{"phase":"BRNZ","rank":1}},"away":{"winner":"BRNZ-G01"}}]"#,
            "bracket[0].home.standing.phase",
        ),
        (
            r#"[{"unit":"FNL-G01","home":{"standing":{"phase":"GRPA","rank":0}},"away":{"winner":"BRNZ-G01"}}]"#,
            "bracket[0].home.standing.rank",
        ),
    ];
    for (json, path) in cases {
        let mut definition = hockey();
        definition.bracket = serde_json::from_str(json).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            err(definition.validate()).field_path(),
            Some(path),
            "{json}"
        );
    }
    let mut twice = hockey();
    twice.seeding = vec![code("CAN"), code("CAN")];
    assert_eq!(err(twice.validate()).field_path(), Some("seeding[1]"));
}
