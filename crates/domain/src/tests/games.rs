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
