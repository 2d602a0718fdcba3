//! The medal table: IOC and total orders, shared ranks listed by NOC, filters, breakdowns, athletes.

use super::support::*;
use crate::*;

fn award(event: &str, medal: Medal, id: &str, noc: &str, day: &str) -> MedalAward {
    MedalAward {
        event: code(event),
        medal,
        competitor: code(id),
        name: format!("Athlete {id}"),
        noc: code(noc),
        kind: CompetitorKind::Athlete,
        day: Some(code(day)),
        members: Vec::new(),
    }
}

fn awards() -> Vec<MedalAward> {
    use Medal::*;
    vec![
        award("ALPMDOWNHILL", Gold, "odermatt", "SUI", "2026-02-07"),
        award("ALPMDOWNHILL", Silver, "kriechmayr", "AUT", "2026-02-07"),
        award("ALPMDOWNHILL", Bronze, "paris", "ITA", "2026-02-07"),
        award("ALPMSUPERG", Gold, "odermatt", "SUI", "2026-02-11"),
        award("ALPMSUPERG", Silver, "kilde", "NOR", "2026-02-11"),
        award("ALPMSUPERG", Bronze, "haaser", "AUT", "2026-02-11"),
        award("SSKW500M", Gold, "kok", "NED", "2026-02-15"),
        award("SSKW500M", Silver, "takagi", "JPN", "2026-02-15"),
        award("SSKW500M", Bronze, "leerdam", "NED", "2026-02-15"),
        award("CCSWSPRINT", Gold, "diggins", "USA", "2026-02-10"),
        award("CCSWSPRINT", Gold, "sundling", "SWE", "2026-02-10"),
        award("CCSWSPRINT", Bronze, "svahn", "SWE", "2026-02-10"),
    ]
}

fn render_table(table: &MedalTable) -> String {
    table
        .rows
        .iter()
        .map(|r| {
            let c = r.counts;
            format!(
                "{}{} {} {} {} {} {}",
                r.rank,
                if r.rank_equal { "=" } else { "" },
                r.noc,
                c.gold,
                c.silver,
                c.bronze,
                c.total
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn gold_first_and_total_orders_with_shared_ranks_listed_by_noc() {
    let awards = awards();
    check(
        &render_table(&MedalTable::build(
            &awards,
            &MedalFilter::default(),
            MedalOrder::GoldFirst,
        )),
        "
        1 SUI 2 0 0 2
        2= NED 1 0 1 2
        2= SWE 1 0 1 2
        4 USA 1 0 0 1
        5 AUT 0 1 1 2
        6= JPN 0 1 0 1
        6= NOR 0 1 0 1
        8 ITA 0 0 1 1
        ",
    );
    check(
        &render_table(&MedalTable::build(
            &awards,
            &MedalFilter::default(),
            MedalOrder::Total,
        )),
        // By total, equal totals share the rank (ODF RankTotal), listed gold first, then by NOC.
        "
        1= SUI 2 0 0 2
        1= NED 1 0 1 2
        1= SWE 1 0 1 2
        1= AUT 0 1 1 2
        5= USA 1 0 0 1
        5= JPN 0 1 0 1
        5= NOR 0 1 0 1
        5= ITA 0 0 1 1
        ",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn filters_by_sport_discipline_gender_day_and_noc() {
    let awards = awards();
    let table = |filter: MedalFilter| {
        render_table(&MedalTable::build(&awards, &filter, MedalOrder::GoldFirst))
    };
    check(
        &table(MedalFilter {
            sport: Some(Sport::Skating),
            ..Default::default()
        }),
        "1 NED 1 0 1 2\n2 JPN 0 1 0 1",
    );
    check(
        &table(MedalFilter {
            discipline: Some(Discipline::CrossCountrySkiing),
            ..Default::default()
        }),
        "1 SWE 1 0 1 2\n2 USA 1 0 0 1",
    );
    check(
        &table(MedalFilter {
            gender: Some(Gender::Women),
            day: Some(code("2026-02-15")),
            ..Default::default()
        }),
        "1 NED 1 0 1 2\n2 JPN 0 1 0 1",
    );
    check(
        &table(MedalFilter {
            noc: Some(code("AUT")),
            ..Default::default()
        }),
        "1 AUT 0 1 1 2",
    );
    let by_sport = breakdown(&awards, &MedalFilter::default(), Breakdown::Sport);
    let rendered: Vec<String> = by_sport
        .iter()
        .map(|r| format!("{} {}", r.key, r.counts.total))
        .collect();
    assert_eq!(rendered, vec!["SKATING 3", "SKIING 9"]);
    let swe_by_day = breakdown(
        &awards,
        &MedalFilter {
            noc: Some(code("SWE")),
            ..Default::default()
        },
        Breakdown::Day,
    );
    assert_eq!(
        swe_by_day
            .iter()
            .map(|r| (r.key.as_str(), r.counts.total))
            .collect::<Vec<_>>(),
        vec![("2026-02-10", 2)]
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn athletes_with_most_medals_count_team_members() {
    let mut awards = awards();
    awards.push(MedalAward {
        event: code("BTHXRELAY"),
        medal: Medal::Gold,
        competitor: code("NOR-RELAY"),
        name: "Norway".into(),
        noc: code("NOR"),
        kind: CompetitorKind::Team,
        day: Some(code("2026-02-08")),
        members: vec![TeamMember {
            id: code("kilde"),
            name: "Athlete kilde".into(),
        }],
    });
    let rows = athletes(&awards, &MedalFilter::default(), MedalOrder::GoldFirst);
    let top: Vec<String> = rows
        .iter()
        .take(4)
        .map(|r| {
            format!(
                "{}{} {} {}",
                r.rank,
                if r.rank_equal { "=" } else { "" },
                r.competitor,
                r.counts.total
            )
        })
        .collect();
    assert_eq!(
        top,
        vec!["1 odermatt 2", "2 kilde 2", "3= diggins 1", "3= kok 1"]
    );
    let page = ok(athletes_page(&rows, Some(3), None, Some(&code("paris"))));
    assert!(page.rows.iter().any(|r| r.competitor.as_str() == "paris"));
    assert_eq!(page.total, rows.len());
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn medal_book_ignores_late_updates_and_round_trips() {
    let mut book = MedalBook::new();
    let downhill: Vec<MedalAward> = awards()
        .into_iter()
        .filter(|a| a.event.as_str() == "ALPMDOWNHILL")
        .collect();
    assert!(ok(book.update(EventMedals {
        event: code("ALPMDOWNHILL"),
        event_version: 5,
        awards: downhill.clone()
    })));
    assert!(!ok(book.update(EventMedals {
        event: code("ALPMDOWNHILL"),
        event_version: 4,
        awards: vec![]
    })));
    assert!(!ok(book.update(EventMedals {
        event: code("ALPMDOWNHILL"),
        event_version: 5,
        awards: downhill.clone()
    })));
    assert_eq!(book.awards().count(), 3);
    // A newly defined event without medals is recorded, but changes no table.
    assert!(!ok(book.update(EventMedals {
        event: code("ALPMSLALOM"),
        event_version: 1,
        awards: vec![]
    })));
    assert_eq!(book.event_version(&code("ALPMSLALOM")), Some(1));
    let error = err(book.update(EventMedals {
        event: code("ALPMSUPERG"),
        event_version: 1,
        awards: downhill,
    }));
    assert_eq!(error.field_path(), Some("awards[0].event"));
    assert_eq!(ok(MedalBook::from_bytes(&ok(book.to_bytes()))), book);
    assert_eq!(
        book.table(&MedalFilter::default(), MedalOrder::GoldFirst)
            .totals
            .total,
        3
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn medal_table_pages_around_a_noc() {
    let table = MedalTable::build(&awards(), &MedalFilter::default(), MedalOrder::GoldFirst);
    let page = ok(table.page(Some(3), None, Some(&code("AUT"))));
    assert_eq!(
        page.rows.iter().map(|r| r.noc.as_str()).collect::<Vec<_>>(),
        vec!["USA", "AUT", "JPN"]
    );
    assert_eq!(
        (page.prev_cursor.as_deref(), page.next_cursor.as_deref()),
        (Some("0"), Some("6"))
    );
    let next = ok(table.page(Some(3), page.next_cursor.as_deref(), None));
    assert_eq!(
        next.rows.iter().map(|r| r.noc.as_str()).collect::<Vec<_>>(),
        vec!["NOR", "ITA"]
    );
    assert_eq!(next.next_cursor, None);
    assert!(table.page(Some(3), None, Some(&code("FIN"))).is_err());
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn athletes_by_total_share_the_rank_on_equal_totals() {
    let awards = awards();
    let line = |order| {
        athletes(&awards, &MedalFilter::default(), order)
            .iter()
            .take(3)
            .map(|r| {
                format!(
                    "{}{} {}",
                    r.rank,
                    if r.rank_equal { "=" } else { "" },
                    r.competitor
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Odermatt's two golds lead either way; the one-medal athletes share second by total, gold first.
    assert_eq!(
        line(MedalOrder::GoldFirst),
        "1 odermatt, 2= diggins, 2= kok"
    );
    assert_eq!(line(MedalOrder::Total), "1 odermatt, 2= diggins, 2= kok");
    let by_total = athletes(&awards, &MedalFilter::default(), MedalOrder::Total);
    assert!(by_total.iter().skip(1).all(|r| r.rank == 2 && r.rank_equal));
    let gold_first = athletes(&awards, &MedalFilter::default(), MedalOrder::GoldFirst);
    assert_eq!(gold_first.last().map(|r| r.rank), Some(8));
}
