//! One search box for athletes, countries and events. Every word of the query must appear somewhere in
//! the name, ignoring case and the accents of Latin letters ("odermat" finds "Marco Odermatt", "bo
//! johannes" finds "Johannes Thingnes Bø"); a one-word query also finds codes that start with it
//! ("sui" finds Switzerland, "alpm" the men's alpine events).

use std::collections::BTreeMap;

use domain::{CompetitorId, EventCode, Noc};
use serde::Serialize;
use wire::digest::Progress;

use super::Games;

/// The most results of each kind.
pub const SEARCH_LIMIT: usize = 10;

/// `GET /v1/search?q=`.
#[derive(Debug, Serialize)]
pub struct SearchAnswer<'a> {
    pub q: &'a str,
    pub athletes: Vec<FoundAthlete<'a>>,
    pub nocs: Vec<FoundNoc>,
    pub events: Vec<FoundEvent<'a>>,
}

#[derive(Debug, Serialize)]
pub struct FoundAthlete<'a> {
    pub competitor: &'a CompetitorId,
    pub name: &'a str,
    pub noc: &'a Noc,
}

#[derive(Debug, Serialize)]
pub struct FoundNoc {
    pub noc: Noc,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct FoundEvent<'a> {
    pub code: &'a EventCode,
    pub name: &'a str,
    pub progress: Progress,
}

impl Games {
    /// Up to [`SEARCH_LIMIT`] athletes (team members included), NOCs taking part and events matching
    /// `q`, each kind by name.
    pub fn search<'a>(&'a self, q: &'a str) -> SearchAnswer<'a> {
        let words: Vec<String> = fold(q).split_whitespace().map(str::to_owned).collect();
        let names = |name: &str| {
            let name = fold(name);
            words.iter().all(|word| name.contains(word.as_str()))
        };
        let code = |code: &str| words.len() == 1 && fold(code).starts_with(words[0].as_str());
        let mut people: BTreeMap<&CompetitorId, FoundAthlete<'_>> = BTreeMap::new();
        let mut nocs: BTreeMap<&Noc, ()> = BTreeMap::new();
        for listing in self.listings() {
            for entry in self.entries(&listing.code) {
                nocs.insert(&entry.noc, ());
                let individual =
                    entry.members.is_empty() && entry.kind == domain::CompetitorKind::Athlete;
                let athletes = entry
                    .members
                    .iter()
                    .map(|m| (&m.id, m.name.as_str()))
                    .chain(individual.then_some((&entry.competitor, entry.name.as_str())));
                for (id, name) in athletes {
                    if names(name) {
                        people.entry(id).or_insert(FoundAthlete {
                            competitor: id,
                            name,
                            noc: &entry.noc,
                        });
                    }
                }
            }
        }
        let mut athletes: Vec<FoundAthlete<'_>> = people.into_values().collect();
        athletes.sort_by(|a, b| a.name.cmp(b.name));
        athletes.truncate(SEARCH_LIMIT);
        let mut found_nocs: Vec<FoundNoc> = nocs
            .into_keys()
            .filter(|noc| code(noc.as_str()) || names(domain::noc_name(noc)))
            .map(|noc| FoundNoc {
                noc: noc.clone(),
                name: domain::noc_name(noc).to_owned(),
                flag: domain::noc_flag(noc),
            })
            .collect();
        found_nocs.sort_by(|a, b| a.name.cmp(&b.name));
        found_nocs.truncate(SEARCH_LIMIT);
        let mut events: Vec<FoundEvent<'_>> = self
            .listings()
            .filter(|l| code(l.code.as_str()) || names(&l.name))
            .map(|l| FoundEvent {
                code: &l.code,
                name: &l.name,
                progress: l.progress,
            })
            .collect();
        events.sort_by(|a, b| a.name.cmp(b.name));
        events.truncate(SEARCH_LIMIT);
        SearchAnswer {
            q,
            athletes,
            nocs: found_nocs,
            events,
        }
    }
}

/// Lower case, with the accents of Latin letters taken off: what a search compares.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            _ => out.push(plain(c)),
        }
    }
    out
}

/// A Latin letter without its accent.
fn plain(c: char) -> char {
    const FROM: [&str; 14] = [
        "àáâãäåāăą",
        "çćčĉ",
        "ďđ",
        "èéêëēėęěĕ",
        "ğĝģ",
        "ìíîïīįıĭ",
        "ķ",
        "łľĺļ",
        "ñńňņ",
        "òóôõöøōőŏ",
        "řŕŗ",
        "śšşșŝ",
        "ťţț",
        "ùúûüūůűųŭ",
    ];
    const TO: [char; 14] = [
        'a', 'c', 'd', 'e', 'g', 'i', 'k', 'l', 'n', 'o', 'r', 's', 't', 'u',
    ];
    for (accented, base) in FROM.iter().zip(TO) {
        if accented.contains(c) {
            return base;
        }
    }
    match c {
        'ź' | 'ż' | 'ž' => 'z',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}
