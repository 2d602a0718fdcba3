//! The programme of Milano Cortina 2026 as data: the 116 medal events, each with its venue, its sessions
//! and a [`Plan`] saying how it is contested (the format, the phases and units follow from the plan).
//!
//! Dates follow the published competition calendar where we could confirm them (curling mixed doubles
//! from 4 February and women's ice hockey from 5 February, the men's downhill and snowboard big air on the
//! first medal day, 7 February, the women's downhill on the 8th, super-G on the 11th and 12th, ski
//! mountaineering sprints on the 19th); the other dates and all session times are plausible, not
//! official. Every time is venue time (CET); see [`crate::calendar`].

use domain::{Discipline, TimePrecision};

use crate::entries::Squad;
use crate::names::Sex;

/// Which events a simulated Games plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// All 116 events.
    Full,
    /// A few events of every format (about a minute at high speed), with every scripted incident.
    Short,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Short => "short",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "full" => Some(Self::Full),
            "short" => Some(Self::Short),
            _ => None,
        }
    }
}

/// The events of the short profile: a downhill, a two-run race, a biathlon individual, a mass start
/// ranked by finish order, short track heats to finals, a judged best-of-runs event, ski jumping, figure
/// skating's two segments, an ice hockey tournament and a curling tournament.
pub const SHORT_PROFILE: &[&str] = &[
    "ALPMDOWNHILL",
    "ALPMGIANTSLALOM",
    "BTHMINDIVIDUAL",
    "BTHWMASSSTART",
    "STKW500M",
    "SBDWHALFPIPE",
    "SJPMNORMALHILL",
    "FSKWSINGLES",
    "IHOWTOURNAMENT",
    "CURXMIXEDDOUBLES",
];

/// The scripted incidents every Games contains (both profiles include these events).
pub mod incidents {
    /// Two racers share second place to the hundredth: two silvers, no bronze.
    pub const TIE_AT_SILVER: &str = "ALPMDOWNHILL";
    /// A target re-check removes a penalty after the result was OFFICIAL: a correction with a note.
    pub const CORRECTION: &str = "BTHMINDIVIDUAL";
    /// Equipment control disqualifies the winner after the result was OFFICIAL: the medals move up.
    pub const LATE_DISQUALIFICATION: &str = "SJPMNORMALHILL";
}

/// A venue; all are in the `Europe/Rome` time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Venue {
    Stelvio,
    Tofane,
    Anterselva,
    SlidingCentre,
    Tesero,
    Predazzo,
    CurlingStadium,
    IceSkatingArena,
    LivignoSnowPark,
    LivignoAerialsMoguls,
    Santagiulia,
    RhoArena,
    SpeedSkatingStadium,
}

impl Venue {
    pub fn name(self) -> &'static str {
        match self {
            Self::Stelvio => "Stelvio Ski Centre, Bormio",
            Self::Tofane => "Olimpia delle Tofane, Cortina d'Ampezzo",
            Self::Anterselva => "Anterselva Biathlon Arena",
            Self::SlidingCentre => "Cortina Sliding Centre",
            Self::Tesero => "Tesero Cross-Country Skiing Stadium",
            Self::Predazzo => "Predazzo Ski Jumping Stadium",
            Self::CurlingStadium => "Cortina Olympic Stadium",
            Self::IceSkatingArena => "Milano Ice Skating Arena",
            Self::LivignoSnowPark => "Livigno Snow Park",
            Self::LivignoAerialsMoguls => "Livigno Aerials & Moguls Park",
            Self::Santagiulia => "Milano Santagiulia Ice Hockey Arena",
            Self::RhoArena => "Milano Rho Ice Hockey Arena",
            Self::SpeedSkatingStadium => "Milano Speed Skating Stadium",
        }
    }
}

/// A session start in venue time: (February day, hour, minute).
pub type Session = (u32, u32, u32);

/// One medal event.
#[derive(Debug, Clone)]
pub struct EventSpec {
    pub code: &'static str,
    pub name: &'static str,
    pub venue: Venue,
    pub plan: Plan,
    /// Where the plan's stages start (see each plan); later stages follow the earlier ones.
    pub sessions: &'static [Session],
}

impl EventSpec {
    pub fn discipline(&self) -> Option<Discipline> {
        self.code.get(..3).and_then(Discipline::from_code)
    }
}

/// Who competes.
#[derive(Debug, Clone, Copy)]
pub enum Who {
    Individual {
        sex: Sex,
        squad: Squad,
        family: &'static str,
        field: usize,
        max_per_noc: usize,
    },
    Team {
        crew: &'static [(Sex, usize)],
        squad: Squad,
        family: &'static str,
        field: usize,
        max_per_noc: usize,
        /// Named after the members (`Anna Huber / Lena Moser`), as couples and luge doubles are; else
        /// after the nation.
        by_members: bool,
    },
}

/// A time model: `base_s` for a competitor of form 1, `spread` slower per unit of form below.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    pub base_s: f64,
    pub spread: f64,
}

/// How an event is contested.
#[derive(Debug, Clone)]
pub enum Plan {
    /// One timed performance each, `interval_s` apart (alpine speed, interval starts, speed skating in
    /// pairs, luge's team relay). Session 0: the first start. With `penalty_ms`: biathlon's individual.
    Timed {
        who: Who,
        precision: TimePrecision,
        pace: Pace,
        interval_s: u32,
        pairs: bool,
        penalty_ms: Option<u64>,
    },
    /// Timed runs added up (alpine technical events and team combined, sliding). Session k: run k (a run
    /// without a session follows the previous one). `cut`: after run `.0` only the best `.1` go on.
    Runs {
        who: Who,
        precision: TimePrecision,
        paces: Vec<Pace>,
        interval_s: u32,
        cut: Option<(u8, u16)>,
        dnf_rate: f64,
    },
    /// All start together (or chase from another event's gaps) and finish order ranks: mass starts,
    /// pursuits, relays, skiathlon.
    FinishOrder {
        who: Who,
        pace: Pace,
        chase: Option<Chase>,
    },
    /// Qualification, heats with advancement, finals (short track, cross events, sprints, parallel,
    /// dual moguls, team pursuit). Session 0: qualification (or the first round), session 1: the rounds.
    Bracket {
        who: Who,
        qualification: Option<Qualification>,
        rounds: &'static [Round],
        finals: Finals,
        race: Race,
        pace: Pace,
    },
    /// Judged runs: qualification then final (moguls, aerials, slopestyle, halfpipe, big air).
    /// Session 0: qualification, session 1: final.
    Judged {
        who: Who,
        judging: Judging,
        qualification: Option<JudgedRound>,
        final_round: JudgedRound,
    },
    /// Ski jumping, two rounds with the best 30 in the second. Session 0.
    Jumping { who: Who, hill: Hill },
    /// Team ski jumping (a team total of every member's jumps). Session 0.
    TeamJumping {
        who: Who,
        hill: Hill,
        rounds: u8,
        cut: Option<u16>,
    },
    /// Figure skating, short and free (rhythm and free dance). Session 0: short, session 1: free.
    Skating { who: Who, kind: Skate, cut: u16 },
    /// Figure skating's team event: placement points per segment, totalled. Sessions 0–2.
    SkatingTeam { who: Who },
    /// Speed skating's mass start: two semi-finals, then the final, ranked by sprint points.
    /// Session 0: semi-finals, session 1: final.
    PointsRace {
        who: Who,
        pace: Pace,
        finalists_per_semi: u32,
    },
    /// Nordic combined (Gundersen): a jump, then a race started by the jump's gaps. Session 0: jump,
    /// session 1: race.
    Gundersen {
        who: Who,
        hill: Hill,
        pace: Pace,
        ms_per_point: u64,
    },
    /// Ice hockey or curling: groups, then a bracket drawn from the standings.
    Tournament(Tournament),
}

/// A pursuit starts from another event's result.
#[derive(Debug, Clone, Copy)]
pub struct Chase {
    /// The event whose medal unit gives the gaps (it must come earlier in the programme).
    pub from: &'static str,
    pub starters: usize,
}

/// A qualification before heats.
#[derive(Debug, Clone, Copy)]
pub enum Qualification {
    /// A timed run each (sprint and cross seeding).
    Time {
        precision: TimePrecision,
        pace: Pace,
        interval_s: u32,
        keep: usize,
    },
    /// Two runs added (parallel giant slalom's red and blue courses).
    TwoRuns {
        precision: TimePrecision,
        pace: Pace,
        keep: usize,
    },
}

/// One round of heats.
#[derive(Debug, Clone, Copy)]
pub struct Round {
    pub code: &'static str,
    pub name: &'static str,
    pub heats: usize,
    pub per_heat: usize,
    pub by_rank: u32,
    pub by_mark: u32,
}

/// How the last round's heats lead to medals.
#[derive(Debug, Clone, Copy)]
pub enum Finals {
    /// One final of everyone who advanced.
    Single,
    /// Final A (medals 1–3) of those who advanced, Final B of the next ones (short track; cross events'
    /// big and small finals).
    AandB { a: &'static str, b: &'static str },
    /// Final A for gold and silver, Final B's winner takes bronze (parallel, dual moguls, team pursuit).
    Duel { a: &'static str, b: &'static str },
}

/// How heats are ranked.
#[derive(Debug, Clone, Copy)]
pub enum Race {
    /// Order of crossing the line.
    FinishOrder,
    /// Time (team pursuit).
    Time(TimePrecision),
}

/// How judged runs score.
#[derive(Debug, Clone, Copy)]
pub enum Judging {
    /// One score (moguls, aerials); for teams, the members' scores added.
    Points { base: f64, range: f64, noise: f64 },
    /// The best `counting` of `runs` runs (park and pipe).
    BestOf {
        qualification: (u8, u8),
        fin: (u8, u8),
    },
}

/// A judged round: its size and the time between performances.
#[derive(Debug, Clone, Copy)]
pub struct JudgedRound {
    pub keep: usize,
    pub interval_s: u32,
}

/// A ski jumping hill.
#[derive(Debug, Clone, Copy)]
pub enum Hill {
    Normal,
    Large,
}

impl Hill {
    pub fn k_point(self) -> f64 {
        match self {
            Self::Normal => 98.0,
            Self::Large => 128.0,
        }
    }

    pub fn hill_size(self) -> f64 {
        match self {
            Self::Normal => 107.0,
            Self::Large => 141.0,
        }
    }

    pub fn meter_value(self) -> f64 {
        match self {
            Self::Normal => 2.0,
            Self::Large => 1.8,
        }
    }
}

/// Which skating.
#[derive(Debug, Clone, Copy)]
pub enum Skate {
    Singles,
    Pairs,
    Dance,
}

/// Ice hockey or curling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sport {
    Hockey,
    Curling { ends: u32 },
}

/// A tournament: qualified teams in seeding order, groups, and the days of each stage.
#[derive(Debug, Clone, Copy)]
pub struct Tournament {
    pub sport: Sport,
    pub crew: &'static [(Sex, usize)],
    pub teams: &'static [&'static str],
    /// Group sizes; teams are dealt to groups in serpentine order of seeding (or in blocks with
    /// `blocks`: the first group takes the top seeds, as in the women's hockey tournament).
    pub groups: &'static [usize],
    pub blocks: bool,
    pub bracket: Bracket,
    /// Group games: (first day, last day), daily start times, games at once (arenas or sheets).
    pub group_days: (u32, u32),
    pub daily: &'static [(u32, u32)],
    pub at_once: usize,
    /// Knockout rounds, in order, each with its games' starts.
    pub knockout: &'static [&'static [Session]],
}

/// The shape of a tournament's play-offs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bracket {
    /// Men's hockey: top four to the quarter-finals, 5–12 in qualification play-offs.
    MenHockey,
    /// Women's hockey: all of group A and the top three of group B to the quarter-finals.
    WomenHockey,
    /// Curling: the top four to the semi-finals (1 v 4, 2 v 3).
    TopFour,
}

const fn pace(base_s: f64, spread: f64) -> Pace {
    Pace { base_s, spread }
}

const fn ind(sex: Sex, family: &'static str, field: usize, max_per_noc: usize) -> Who {
    Who::Individual {
        sex,
        squad: Squad::Main,
        family,
        field,
        max_per_noc,
    }
}

const fn team(
    crew: &'static [(Sex, usize)],
    family: &'static str,
    field: usize,
    max_per_noc: usize,
) -> Who {
    Who::Team {
        crew,
        squad: Squad::Main,
        family,
        field,
        max_per_noc,
        by_members: false,
    }
}

const fn couple(
    crew: &'static [(Sex, usize)],
    squad: Squad,
    family: &'static str,
    field: usize,
    max_per_noc: usize,
) -> Who {
    Who::Team {
        crew,
        squad,
        family,
        field,
        max_per_noc,
        by_members: true,
    }
}

const fn round(
    code: &'static str,
    name: &'static str,
    heats: usize,
    per_heat: usize,
    by_rank: u32,
    by_mark: u32,
) -> Round {
    Round {
        code,
        name,
        heats,
        per_heat,
        by_rank,
        by_mark,
    }
}

use Sex::{Men as M, Women as W};
use TimePrecision::{Hundredths, Tenths, Thousandths};

const EIGHTHS_OF_FOUR: &[Round] = &[
    round("R16", "1/8 Finals", 8, 4, 2, 0),
    round("QFNL", "Quarterfinals", 4, 4, 2, 0),
    round("SFNL", "Semifinals", 2, 4, 2, 0),
];
const DUELS: &[Round] = &[
    round("R16", "1/8 Finals", 8, 2, 1, 0),
    round("QFNL", "Quarterfinals", 4, 2, 1, 0),
    round("SFNL", "Semifinals", 2, 2, 1, 0),
];
const SHORT_TRACK_SPRINT: &[Round] = &[
    round("HEAT", "Heats", 8, 4, 2, 4),
    round("QFNL", "Quarterfinals", 4, 5, 2, 2),
    round("SFNL", "Semifinals", 2, 5, 2, 0),
];
const SHORT_TRACK_1500: &[Round] = &[
    round("HEAT", "Heats", 6, 6, 3, 3),
    round("SFNL", "Semifinals", 3, 7, 2, 1),
];
const RELAY_SEMIS: &[Round] = &[round("SFNL", "Semifinals", 2, 4, 2, 0)];
const MIXED_RELAY_ROUNDS: &[Round] = &[
    round("QFNL", "Quarterfinals", 3, 4, 2, 2),
    round("SFNL", "Semifinals", 2, 4, 2, 0),
];
const SPRINT_ROUNDS: &[Round] = &[
    round("QFNL", "Quarterfinals", 5, 6, 2, 2),
    round("SFNL", "Semifinals", 2, 6, 2, 2),
];
const TEAM_CROSS_ROUNDS: &[Round] = &[
    round("QFNL", "Quarterfinals", 4, 4, 2, 0),
    round("SFNL", "Semifinals", 2, 4, 2, 0),
];
const TEAM_SPRINT_ROUNDS: &[Round] = &[round("SFNL", "Semifinals", 2, 11, 5, 2)];
const SKIMO_ROUNDS: &[Round] = &[
    round("QFNL", "Quarterfinals", 3, 6, 2, 4),
    round("SFNL", "Semifinals", 2, 5, 3, 0),
];
const TEAM_PURSUIT_ROUNDS: &[Round] = &[
    round("QFNL", "Quarterfinals", 4, 2, 0, 4),
    round("SFNL", "Semifinals", 2, 2, 1, 0),
];
const SHORT_TRACK_FINALS: Finals = Finals::AandB {
    a: "Final A",
    b: "Final B",
};
const CROSS_FINALS: Finals = Finals::AandB {
    a: "Big Final",
    b: "Small Final",
};
const DUEL_FINALS: Finals = Finals::Duel {
    a: "Big Final",
    b: "Small Final",
};
const PURSUIT_FINALS: Finals = Finals::Duel {
    a: "Final A",
    b: "Final B",
};

const PARK_JUDGING: Judging = Judging::BestOf {
    qualification: (2, 1),
    fin: (3, 1),
};
const BIG_AIR_JUDGING: Judging = Judging::BestOf {
    qualification: (3, 2),
    fin: (3, 2),
};
const MOGULS_JUDGING: Judging = Judging::Points {
    base: 58.0,
    range: 28.0,
    noise: 3.0,
};
const AERIALS_JUDGING: Judging = Judging::Points {
    base: 78.0,
    range: 48.0,
    noise: 10.0,
};
const JUDGED_QUAL: JudgedRound = JudgedRound {
    keep: 12,
    interval_s: 75,
};
const JUDGED_FINAL: JudgedRound = JudgedRound {
    keep: 12,
    interval_s: 90,
};

const DAILY_HOCKEY: &[(u32, u32)] = &[(12, 10), (16, 40), (21, 10)];
const DAILY_CURLING: &[(u32, u32)] = &[(9, 5), (14, 5), (19, 5)];

const MEN_HOCKEY: Tournament = Tournament {
    sport: Sport::Hockey,
    crew: &[(M, 23)],
    teams: &[
        "CAN", "USA", "SWE", "FIN", "CZE", "SUI", "GER", "SVK", "LAT", "DEN", "FRA", "ITA",
    ],
    groups: &[4, 4, 4],
    blocks: false,
    bracket: Bracket::MenHockey,
    group_days: (11, 15),
    daily: DAILY_HOCKEY,
    at_once: 2,
    knockout: &[
        &[(17, 12, 10), (17, 12, 10), (17, 16, 40), (17, 21, 10)],
        &[(18, 12, 10), (18, 16, 40), (18, 16, 40), (18, 21, 10)],
        &[(20, 16, 40), (20, 21, 10)],
        &[(21, 20, 40)],
        &[(22, 14, 10)],
    ],
};

const WOMEN_HOCKEY: Tournament = Tournament {
    sport: Sport::Hockey,
    crew: &[(W, 23)],
    teams: &[
        "CAN", "USA", "FIN", "SUI", "CZE", "SWE", "GER", "JPN", "ITA", "FRA",
    ],
    groups: &[5, 5],
    blocks: true,
    bracket: Bracket::WomenHockey,
    group_days: (5, 10),
    daily: DAILY_HOCKEY,
    at_once: 2,
    knockout: &[
        &[(13, 12, 10), (13, 16, 40), (14, 12, 10), (14, 16, 40)],
        &[(16, 16, 40), (16, 21, 10)],
        &[(19, 14, 40)],
        &[(19, 19, 10)],
    ],
};

const MEN_CURLING: Tournament = Tournament {
    sport: Sport::Curling { ends: 10 },
    crew: &[(M, 5)],
    teams: &[
        "CAN", "SUI", "SWE", "GBR", "ITA", "NOR", "USA", "GER", "CHN", "CZE",
    ],
    groups: &[10],
    blocks: false,
    bracket: Bracket::TopFour,
    group_days: (11, 18),
    daily: &[(9, 5), (19, 5)],
    at_once: 4,
    knockout: &[&[(19, 19, 5), (19, 19, 5)], &[(20, 14, 5)], &[(21, 14, 5)]],
};

const WOMEN_CURLING: Tournament = Tournament {
    sport: Sport::Curling { ends: 10 },
    crew: &[(W, 5)],
    teams: &[
        "SUI", "SWE", "CAN", "KOR", "GBR", "JPN", "USA", "ITA", "DEN", "CHN",
    ],
    groups: &[10],
    blocks: false,
    bracket: Bracket::TopFour,
    group_days: (12, 19),
    daily: &[(14, 5), (19, 5)],
    at_once: 4,
    knockout: &[&[(20, 19, 5), (20, 19, 5)], &[(21, 19, 5)], &[(22, 11, 5)]],
};

const MIXED_DOUBLES: Tournament = Tournament {
    sport: Sport::Curling { ends: 8 },
    crew: &[(W, 1), (M, 1)],
    teams: &[
        "ITA", "SWE", "NOR", "GBR", "USA", "CAN", "SUI", "CZE", "EST", "KOR",
    ],
    groups: &[10],
    blocks: false,
    bracket: Bracket::TopFour,
    group_days: (4, 8),
    daily: DAILY_CURLING,
    at_once: 4,
    knockout: &[&[(9, 19, 5), (9, 19, 5)], &[(10, 14, 5)], &[(10, 18, 5)]],
};

/// The programme of a profile, in an order where every event comes after the events it depends on.
pub fn events(profile: Profile) -> Vec<EventSpec> {
    let all = full();
    match profile {
        Profile::Full => all,
        Profile::Short => all
            .into_iter()
            .filter(|spec| SHORT_PROFILE.contains(&spec.code))
            .collect(),
    }
}

#[allow(clippy::too_many_lines)]
fn full() -> Vec<EventSpec> {
    use Plan as P;
    use Venue as V;
    let spec = |code, name, venue, plan, sessions| EventSpec {
        code,
        name,
        venue,
        plan,
        sessions,
    };
    let speed = |sex, field, base| P::Timed {
        who: ind(sex, "alpine-speed", field, 4),
        precision: Hundredths,
        pace: pace(base, 0.045),
        interval_s: 90,
        pairs: false,
        penalty_ms: None,
    };
    let tech = |sex, field, family, paces, dnf_rate| P::Runs {
        who: ind(sex, family, field, 4),
        precision: Hundredths,
        paces,
        interval_s: 60,
        cut: None,
        dnf_rate,
    };
    let sliding = |who, precision, paces, cut| P::Runs {
        who,
        precision,
        paces,
        interval_s: 75,
        cut,
        dnf_rate: 0.01,
    };
    let interval = |who, precision, base, spread, interval_s| P::Timed {
        who,
        precision,
        pace: pace(base, spread),
        interval_s,
        pairs: false,
        penalty_ms: None,
    };
    let long_track = |sex, field, base, pair_s| P::Timed {
        who: ind(sex, "long-track", field, 3),
        precision: Hundredths,
        pace: pace(base, 0.05),
        interval_s: pair_s,
        pairs: true,
        penalty_ms: None,
    };
    let mass = |who, base, spread| P::FinishOrder {
        who,
        pace: pace(base, spread),
        chase: None,
    };
    let short_track = |sex, rounds, field, base| P::Bracket {
        who: ind(sex, "short-track", field, 3),
        qualification: None,
        rounds,
        finals: SHORT_TRACK_FINALS,
        race: Race::FinishOrder,
        pace: pace(base, 0.04),
    };
    let cross = |who, qual_base, race_base| P::Bracket {
        who,
        qualification: Some(Qualification::Time {
            precision: Hundredths,
            pace: pace(qual_base, 0.05),
            interval_s: 40,
            keep: 32,
        }),
        rounds: EIGHTHS_OF_FOUR,
        finals: CROSS_FINALS,
        race: Race::FinishOrder,
        pace: pace(race_base, 0.04),
    };
    let judged = |who, judging| P::Judged {
        who,
        judging,
        qualification: Some(JUDGED_QUAL),
        final_round: JUDGED_FINAL,
    };
    let jumping = |sex, hill| P::Jumping {
        who: ind(sex, "ski-jumping", 50, 4),
        hill,
    };
    vec![
        // Alpine skiing: men at Bormio, women at Cortina.
        spec(
            "ALPMDOWNHILL",
            "Men's Downhill",
            V::Stelvio,
            speed(M, 50, 112.0),
            &[(7, 11, 30)],
        ),
        spec(
            "ALPWDOWNHILL",
            "Women's Downhill",
            V::Tofane,
            speed(W, 45, 98.0),
            &[(8, 11, 30)],
        ),
        spec(
            "ALPMTEAMCOMBINED",
            "Men's Team Combined",
            V::Stelvio,
            P::Runs {
                who: team(&[(M, 2)], "alpine-combined", 30, 4),
                precision: Hundredths,
                paces: vec![pace(112.0, 0.045), pace(55.0, 0.06)],
                interval_s: 90,
                cut: None,
                dnf_rate: 0.08,
            },
            &[(9, 10, 30), (9, 14, 0)],
        ),
        spec(
            "ALPWTEAMCOMBINED",
            "Women's Team Combined",
            V::Tofane,
            P::Runs {
                who: team(&[(W, 2)], "alpine-combined", 28, 4),
                precision: Hundredths,
                paces: vec![pace(98.0, 0.045), pace(52.0, 0.06)],
                interval_s: 90,
                cut: None,
                dnf_rate: 0.08,
            },
            &[(10, 10, 30), (10, 14, 0)],
        ),
        spec(
            "ALPMSUPERG",
            "Men's Super-G",
            V::Stelvio,
            speed(M, 50, 85.0),
            &[(11, 11, 30)],
        ),
        spec(
            "ALPWSUPERG",
            "Women's Super-G",
            V::Tofane,
            speed(W, 45, 80.0),
            &[(12, 11, 30)],
        ),
        spec(
            "ALPMGIANTSLALOM",
            "Men's Giant Slalom",
            V::Stelvio,
            tech(
                M,
                80,
                "alpine-tech",
                vec![pace(72.0, 0.05), pace(70.0, 0.05)],
                0.12,
            ),
            &[(14, 10, 0), (14, 13, 30)],
        ),
        spec(
            "ALPWGIANTSLALOM",
            "Women's Giant Slalom",
            V::Tofane,
            tech(
                W,
                75,
                "alpine-tech",
                vec![pace(70.0, 0.05), pace(68.0, 0.05)],
                0.12,
            ),
            &[(15, 10, 0), (15, 13, 30)],
        ),
        spec(
            "ALPMSLALOM",
            "Men's Slalom",
            V::Stelvio,
            tech(
                M,
                90,
                "alpine-tech",
                vec![pace(55.0, 0.07), pace(53.0, 0.07)],
                0.2,
            ),
            &[(16, 10, 0), (16, 13, 30)],
        ),
        spec(
            "ALPWSLALOM",
            "Women's Slalom",
            V::Tofane,
            tech(
                W,
                85,
                "alpine-tech",
                vec![pace(52.0, 0.07), pace(50.0, 0.07)],
                0.18,
            ),
            &[(18, 10, 0), (18, 13, 30)],
        ),
        // Biathlon at Anterselva. The sprints come before the pursuits, which start from their gaps.
        spec(
            "BTHXMIXEDRELAY",
            "Mixed Relay",
            V::Anterselva,
            mass(team(&[(W, 2), (M, 2)], "biathlon", 24, 1), 4_000.0, 0.03),
            &[(8, 14, 5)],
        ),
        spec(
            "BTHMINDIVIDUAL",
            "Men's 20 km Individual",
            V::Anterselva,
            P::Timed {
                who: ind(M, "biathlon", 90, 4),
                precision: Tenths,
                pace: pace(2_880.0, 0.07),
                interval_s: 30,
                pairs: false,
                penalty_ms: Some(60_000),
            },
            &[(10, 13, 30)],
        ),
        spec(
            "BTHWINDIVIDUAL",
            "Women's 15 km Individual",
            V::Anterselva,
            P::Timed {
                who: ind(W, "biathlon", 88, 4),
                precision: Tenths,
                pace: pace(2_520.0, 0.07),
                interval_s: 30,
                pairs: false,
                penalty_ms: Some(60_000),
            },
            &[(11, 13, 30)],
        ),
        spec(
            "BTHMSPRINT",
            "Men's 10 km Sprint",
            V::Anterselva,
            interval(ind(M, "biathlon", 100, 4), Tenths, 1_440.0, 0.08, 30),
            &[(13, 14, 0)],
        ),
        spec(
            "BTHWSPRINT",
            "Women's 7.5 km Sprint",
            V::Anterselva,
            interval(ind(W, "biathlon", 98, 4), Tenths, 1_260.0, 0.08, 30),
            &[(14, 14, 0)],
        ),
        spec(
            "BTHMPURSUIT",
            "Men's 12.5 km Pursuit",
            V::Anterselva,
            P::FinishOrder {
                who: ind(M, "biathlon", 100, 4),
                pace: pace(1_920.0, 0.035),
                chase: Some(Chase {
                    from: "BTHMSPRINT",
                    starters: 60,
                }),
            },
            &[(15, 11, 45)],
        ),
        spec(
            "BTHWPURSUIT",
            "Women's 10 km Pursuit",
            V::Anterselva,
            P::FinishOrder {
                who: ind(W, "biathlon", 98, 4),
                pace: pace(1_740.0, 0.035),
                chase: Some(Chase {
                    from: "BTHWSPRINT",
                    starters: 60,
                }),
            },
            &[(15, 14, 45)],
        ),
        spec(
            "BTHMRELAY",
            "Men's 4 x 7.5 km Relay",
            V::Anterselva,
            mass(team(&[(M, 4)], "biathlon", 22, 1), 4_680.0, 0.03),
            &[(17, 14, 30)],
        ),
        spec(
            "BTHWRELAY",
            "Women's 4 x 6 km Relay",
            V::Anterselva,
            mass(team(&[(W, 4)], "biathlon", 22, 1), 4_320.0, 0.03),
            &[(18, 14, 45)],
        ),
        spec(
            "BTHMMASSSTART",
            "Men's 15 km Mass Start",
            V::Anterselva,
            mass(ind(M, "biathlon", 30, 4), 2_160.0, 0.025),
            &[(20, 14, 15)],
        ),
        spec(
            "BTHWMASSSTART",
            "Women's 12.5 km Mass Start",
            V::Anterselva,
            mass(ind(W, "biathlon", 30, 4), 1_980.0, 0.025),
            &[(21, 14, 15)],
        ),
        // Bobsleigh at Cortina: four runs over two days.
        spec(
            "BOBWMONOBOB",
            "Women's Monobob",
            V::SlidingCentre,
            sliding(
                ind(W, "bob", 20, 2),
                Hundredths,
                vec![pace(60.0, 0.015); 4],
                Some((3, 20)),
            ),
            &[(15, 9, 30), (15, 11, 0), (16, 9, 30), (16, 11, 0)],
        ),
        spec(
            "BOBMTWOMAN",
            "Two-man",
            V::SlidingCentre,
            sliding(
                team(&[(M, 2)], "bob", 28, 3),
                Hundredths,
                vec![pace(57.5, 0.012); 4],
                Some((3, 20)),
            ),
            &[(16, 19, 0), (16, 20, 40), (17, 19, 0), (17, 20, 40)],
        ),
        spec(
            "BOBWTWOWOMAN",
            "Two-woman",
            V::SlidingCentre,
            sliding(
                team(&[(W, 2)], "bob", 20, 3),
                Hundredths,
                vec![pace(59.0, 0.012); 4],
                Some((3, 20)),
            ),
            &[(20, 19, 0), (20, 20, 40), (21, 19, 0), (21, 20, 40)],
        ),
        spec(
            "BOBMFOURMAN",
            "Four-man",
            V::SlidingCentre,
            sliding(
                team(&[(M, 4)], "bob", 26, 3),
                Hundredths,
                vec![pace(56.0, 0.012); 4],
                Some((3, 20)),
            ),
            &[(21, 9, 30), (21, 11, 10), (22, 9, 30), (22, 11, 10)],
        ),
        // Cross-country skiing at Tesero.
        spec(
            "CCSWSKIATHLON",
            "Women's 20 km Skiathlon",
            V::Tesero,
            mass(ind(W, "distance", 65, 4), 3_180.0, 0.03),
            &[(7, 13, 0)],
        ),
        spec(
            "CCSMSKIATHLON",
            "Men's 20 km Skiathlon",
            V::Tesero,
            mass(ind(M, "distance", 70, 4), 2_880.0, 0.03),
            &[(8, 12, 30)],
        ),
        spec(
            "CCSMSPRINT",
            "Men's Sprint Classic",
            V::Tesero,
            P::Bracket {
                who: ind(M, "sprint", 80, 4),
                qualification: Some(Qualification::Time {
                    precision: Tenths,
                    pace: pace(170.0, 0.05),
                    interval_s: 15,
                    keep: 30,
                }),
                rounds: SPRINT_ROUNDS,
                finals: Finals::Single,
                race: Race::FinishOrder,
                pace: pace(172.0, 0.03),
            },
            &[(10, 9, 45), (10, 12, 15)],
        ),
        spec(
            "CCSWSPRINT",
            "Women's Sprint Classic",
            V::Tesero,
            P::Bracket {
                who: ind(W, "sprint", 78, 4),
                qualification: Some(Qualification::Time {
                    precision: Tenths,
                    pace: pace(195.0, 0.05),
                    interval_s: 15,
                    keep: 30,
                }),
                rounds: SPRINT_ROUNDS,
                finals: Finals::Single,
                race: Race::FinishOrder,
                pace: pace(197.0, 0.03),
            },
            &[(10, 9, 15), (10, 11, 45)],
        ),
        spec(
            "CCSW10KM",
            "Women's 10 km Interval Start Free",
            V::Tesero,
            interval(ind(W, "distance", 90, 4), Tenths, 1_500.0, 0.06, 30),
            &[(12, 12, 45)],
        ),
        spec(
            "CCSM10KM",
            "Men's 10 km Interval Start Free",
            V::Tesero,
            interval(ind(M, "distance", 95, 4), Tenths, 1_320.0, 0.06, 30),
            &[(13, 12, 45)],
        ),
        spec(
            "CCSWRELAY",
            "Women's 4 x 7.5 km Relay",
            V::Tesero,
            mass(team(&[(W, 4)], "distance", 18, 1), 4_800.0, 0.03),
            &[(14, 13, 0)],
        ),
        spec(
            "CCSMRELAY",
            "Men's 4 x 7.5 km Relay",
            V::Tesero,
            mass(team(&[(M, 4)], "distance", 20, 1), 4_320.0, 0.03),
            &[(15, 12, 0)],
        ),
        spec(
            "CCSWTEAMSPRINT",
            "Women's Team Sprint Classic",
            V::Tesero,
            P::Bracket {
                who: team(&[(W, 2)], "sprint", 22, 1),
                qualification: None,
                rounds: TEAM_SPRINT_ROUNDS,
                finals: Finals::Single,
                race: Race::FinishOrder,
                pace: pace(1_260.0, 0.03),
            },
            &[(18, 10, 15), (18, 12, 30)],
        ),
        spec(
            "CCSMTEAMSPRINT",
            "Men's Team Sprint Classic",
            V::Tesero,
            P::Bracket {
                who: team(&[(M, 2)], "sprint", 22, 1),
                qualification: None,
                rounds: TEAM_SPRINT_ROUNDS,
                finals: Finals::Single,
                race: Race::FinishOrder,
                pace: pace(1_140.0, 0.03),
            },
            &[(18, 11, 0), (18, 13, 15)],
        ),
        spec(
            "CCSM50KM",
            "Men's 50 km Mass Start Classic",
            V::Tesero,
            mass(ind(M, "distance", 65, 4), 7_080.0, 0.035),
            &[(21, 11, 0)],
        ),
        spec(
            "CCSW50KM",
            "Women's 50 km Mass Start Classic",
            V::Tesero,
            mass(ind(W, "distance", 60, 4), 7_920.0, 0.035),
            &[(22, 10, 0)],
        ),
        // Curling at Cortina.
        spec(
            "CURXMIXEDDOUBLES",
            "Mixed Doubles",
            V::CurlingStadium,
            P::Tournament(MIXED_DOUBLES),
            &[],
        ),
        spec(
            "CURMTEAM",
            "Men's Tournament",
            V::CurlingStadium,
            P::Tournament(MEN_CURLING),
            &[],
        ),
        spec(
            "CURWTEAM",
            "Women's Tournament",
            V::CurlingStadium,
            P::Tournament(WOMEN_CURLING),
            &[],
        ),
        // Figure skating in Milan.
        spec(
            "FSKXTEAM",
            "Team Event",
            V::IceSkatingArena,
            P::SkatingTeam {
                who: team(&[(M, 2), (W, 2)], "figure", 10, 1),
            },
            &[(6, 10, 0), (7, 19, 45), (8, 19, 45)],
        ),
        spec(
            "FSKXICEDANCE",
            "Ice Dance",
            V::IceSkatingArena,
            P::Skating {
                who: couple(&[(W, 1), (M, 1)], Squad::Dance, "dance", 23, 3),
                kind: Skate::Dance,
                cut: 20,
            },
            &[(9, 19, 30), (11, 19, 30)],
        ),
        spec(
            "FSKMSINGLES",
            "Men's Singles",
            V::IceSkatingArena,
            P::Skating {
                who: ind(M, "figure", 30, 3),
                kind: Skate::Singles,
                cut: 24,
            },
            &[(10, 18, 30), (13, 19, 0)],
        ),
        spec(
            "FSKXPAIRS",
            "Pairs",
            V::IceSkatingArena,
            P::Skating {
                who: couple(&[(W, 1), (M, 1)], Squad::Pairs, "pairs", 19, 3),
                kind: Skate::Pairs,
                cut: 16,
            },
            &[(15, 19, 45), (16, 20, 0)],
        ),
        spec(
            "FSKWSINGLES",
            "Women's Singles",
            V::IceSkatingArena,
            P::Skating {
                who: ind(W, "figure", 30, 3),
                kind: Skate::Singles,
                cut: 24,
            },
            &[(17, 18, 45), (19, 19, 0)],
        ),
        // Freestyle skiing at Livigno.
        spec(
            "FRSWSLOPESTYLE",
            "Women's Freeski Slopestyle",
            V::LivignoSnowPark,
            judged(ind(W, "park", 30, 4), PARK_JUDGING),
            &[(7, 10, 30), (9, 12, 30)],
        ),
        spec(
            "FRSMSLOPESTYLE",
            "Men's Freeski Slopestyle",
            V::LivignoSnowPark,
            judged(ind(M, "park", 30, 4), PARK_JUDGING),
            &[(7, 13, 30), (10, 13, 30)],
        ),
        spec(
            "FRSWMOGULS",
            "Women's Moguls",
            V::LivignoAerialsMoguls,
            judged(ind(W, "moguls", 30, 4), MOGULS_JUDGING),
            &[(10, 11, 0), (11, 14, 30)],
        ),
        spec(
            "FRSMMOGULS",
            "Men's Moguls",
            V::LivignoAerialsMoguls,
            judged(ind(M, "moguls", 30, 4), MOGULS_JUDGING),
            &[(11, 11, 0), (12, 14, 30)],
        ),
        spec(
            "FRSXTEAMAERIALS",
            "Mixed Team Aerials",
            V::LivignoAerialsMoguls,
            P::Judged {
                who: team(&[(W, 1), (M, 2)], "aerials", 10, 1),
                judging: AERIALS_JUDGING,
                qualification: None,
                final_round: JudgedRound {
                    keep: 10,
                    interval_s: 80,
                },
            },
            &[(14, 19, 0)],
        ),
        spec(
            "FRSWDUALMOGULS",
            "Women's Dual Moguls",
            V::LivignoAerialsMoguls,
            P::Bracket {
                who: ind(W, "moguls", 16, 4),
                qualification: None,
                rounds: DUELS,
                finals: DUEL_FINALS,
                race: Race::FinishOrder,
                pace: pace(28.0, 0.05),
            },
            &[(14, 13, 0)],
        ),
        spec(
            "FRSMDUALMOGULS",
            "Men's Dual Moguls",
            V::LivignoAerialsMoguls,
            P::Bracket {
                who: ind(M, "moguls", 16, 4),
                qualification: None,
                rounds: DUELS,
                finals: DUEL_FINALS,
                race: Race::FinishOrder,
                pace: pace(25.0, 0.05),
            },
            &[(15, 13, 0)],
        ),
        spec(
            "FRSWAERIALS",
            "Women's Aerials",
            V::LivignoAerialsMoguls,
            judged(ind(W, "aerials", 25, 4), AERIALS_JUDGING),
            &[(15, 10, 0), (16, 19, 0)],
        ),
        spec(
            "FRSWBIGAIR",
            "Women's Freeski Big Air",
            V::LivignoSnowPark,
            judged(ind(W, "park", 30, 4), BIG_AIR_JUDGING),
            &[(15, 18, 30), (16, 19, 30)],
        ),
        spec(
            "FRSMAERIALS",
            "Men's Aerials",
            V::LivignoAerialsMoguls,
            judged(ind(M, "aerials", 25, 4), AERIALS_JUDGING),
            &[(16, 10, 0), (17, 19, 0)],
        ),
        spec(
            "FRSMBIGAIR",
            "Men's Freeski Big Air",
            V::LivignoSnowPark,
            judged(ind(M, "park", 30, 4), BIG_AIR_JUDGING),
            &[(16, 18, 30), (17, 19, 30)],
        ),
        spec(
            "FRSWHALFPIPE",
            "Women's Freeski Halfpipe",
            V::LivignoSnowPark,
            judged(ind(W, "pipe", 25, 4), PARK_JUDGING),
            &[(18, 10, 0), (20, 19, 30)],
        ),
        spec(
            "FRSMHALFPIPE",
            "Men's Freeski Halfpipe",
            V::LivignoSnowPark,
            judged(ind(M, "pipe", 25, 4), PARK_JUDGING),
            &[(19, 10, 0), (21, 19, 30)],
        ),
        spec(
            "FRSMSKICROSS",
            "Men's Ski Cross",
            V::LivignoSnowPark,
            cross(ind(M, "cross", 32, 4), 70.0, 72.0),
            &[(20, 10, 0), (20, 12, 30)],
        ),
        spec(
            "FRSWSKICROSS",
            "Women's Ski Cross",
            V::LivignoSnowPark,
            cross(ind(W, "cross", 32, 4), 74.0, 76.0),
            &[(21, 10, 0), (21, 12, 30)],
        ),
        // Ice hockey in Milan.
        spec(
            "IHOWTOURNAMENT",
            "Women's Tournament",
            V::RhoArena,
            P::Tournament(WOMEN_HOCKEY),
            &[],
        ),
        spec(
            "IHOMTOURNAMENT",
            "Men's Tournament",
            V::Santagiulia,
            P::Tournament(MEN_HOCKEY),
            &[],
        ),
        // Luge at Cortina.
        spec(
            "LUGMSINGLES",
            "Men's Singles",
            V::SlidingCentre,
            sliding(
                ind(M, "luge", 35, 3),
                Thousandths,
                vec![pace(53.0, 0.008); 4],
                Some((3, 20)),
            ),
            &[(7, 18, 30), (7, 20, 0), (8, 18, 30), (8, 20, 0)],
        ),
        spec(
            "LUGWSINGLES",
            "Women's Singles",
            V::SlidingCentre,
            sliding(
                ind(W, "luge", 30, 3),
                Thousandths,
                vec![pace(46.5, 0.008); 4],
                Some((3, 20)),
            ),
            &[(9, 18, 30), (9, 20, 0), (10, 18, 30), (10, 20, 0)],
        ),
        spec(
            "LUGWDOUBLES",
            "Women's Doubles",
            V::SlidingCentre,
            sliding(
                couple(&[(W, 2)], Squad::Main, "luge-doubles", 14, 2),
                Thousandths,
                vec![pace(47.0, 0.008); 2],
                None,
            ),
            &[(11, 16, 0), (11, 17, 0)],
        ),
        spec(
            "LUGMDOUBLES",
            "Men's Doubles",
            V::SlidingCentre,
            sliding(
                couple(&[(M, 2)], Squad::Main, "luge-doubles", 18, 2),
                Thousandths,
                vec![pace(46.0, 0.008); 2],
                None,
            ),
            &[(11, 18, 30), (11, 19, 30)],
        ),
        spec(
            "LUGXTEAMRELAY",
            "Team Relay",
            V::SlidingCentre,
            P::Timed {
                who: team(&[(W, 2), (M, 2)], "luge", 13, 1),
                precision: Thousandths,
                pace: pace(186.0, 0.008),
                interval_s: 240,
                pairs: false,
                penalty_ms: None,
            },
            &[(12, 18, 30)],
        ),
        // Nordic combined at Predazzo (jump) and Tesero (race).
        spec(
            "NCBMNORMALHILL",
            "Men's Individual Gundersen Normal Hill/10 km",
            V::Predazzo,
            P::Gundersen {
                who: ind(M, "nordic-combined", 45, 4),
                hill: Hill::Normal,
                pace: pace(1_500.0, 0.04),
                ms_per_point: 4_000,
            },
            &[(11, 10, 0), (11, 13, 45)],
        ),
        spec(
            "NCBMLARGEHILL",
            "Men's Individual Gundersen Large Hill/10 km",
            V::Predazzo,
            P::Gundersen {
                who: ind(M, "nordic-combined", 45, 4),
                hill: Hill::Large,
                pace: pace(1_500.0, 0.04),
                ms_per_point: 4_000,
            },
            &[(17, 10, 0), (17, 13, 45)],
        ),
        spec(
            "NCBMTEAMSPRINT",
            "Men's Team Sprint Large Hill/2 x 7.5 km",
            V::Predazzo,
            P::Gundersen {
                who: team(&[(M, 2)], "nordic-combined", 12, 1),
                hill: Hill::Large,
                pace: pace(2_280.0, 0.03),
                ms_per_point: 2_000,
            },
            &[(19, 10, 0), (19, 14, 0)],
        ),
        // Short track in Milan.
        spec(
            "STKXRELAY",
            "Mixed Team Relay",
            V::IceSkatingArena,
            P::Bracket {
                who: team(&[(W, 2), (M, 2)], "short-track", 12, 1),
                qualification: None,
                rounds: MIXED_RELAY_ROUNDS,
                finals: SHORT_TRACK_FINALS,
                race: Race::FinishOrder,
                pace: pace(158.0, 0.03),
            },
            &[(10, 20, 0)],
        ),
        spec(
            "STKW500M",
            "Women's 500 m",
            V::IceSkatingArena,
            short_track(W, SHORT_TRACK_SPRINT, 32, 42.5),
            &[(10, 20, 30), (12, 20, 0)],
        ),
        spec(
            "STKM1000M",
            "Men's 1000 m",
            V::IceSkatingArena,
            short_track(M, SHORT_TRACK_SPRINT, 32, 84.0),
            &[(10, 21, 0), (12, 20, 30)],
        ),
        spec(
            "STKM1500M",
            "Men's 1500 m",
            V::IceSkatingArena,
            short_track(M, SHORT_TRACK_1500, 36, 134.0),
            &[(14, 20, 0)],
        ),
        spec(
            "STKW1000M",
            "Women's 1000 m",
            V::IceSkatingArena,
            short_track(W, SHORT_TRACK_SPRINT, 32, 89.0),
            &[(14, 20, 30), (16, 20, 0)],
        ),
        spec(
            "STKM500M",
            "Men's 500 m",
            V::IceSkatingArena,
            short_track(M, SHORT_TRACK_SPRINT, 32, 40.0),
            &[(16, 20, 30), (18, 20, 0)],
        ),
        spec(
            "STKWRELAY",
            "Women's 3000 m Relay",
            V::IceSkatingArena,
            P::Bracket {
                who: team(&[(W, 4)], "short-track", 8, 1),
                qualification: None,
                rounds: RELAY_SEMIS,
                finals: SHORT_TRACK_FINALS,
                race: Race::FinishOrder,
                pace: pace(247.0, 0.03),
            },
            &[(16, 21, 0), (18, 21, 0)],
        ),
        spec(
            "STKW1500M",
            "Women's 1500 m",
            V::IceSkatingArena,
            short_track(W, SHORT_TRACK_1500, 36, 140.0),
            &[(20, 20, 0)],
        ),
        spec(
            "STKMRELAY",
            "Men's 5000 m Relay",
            V::IceSkatingArena,
            P::Bracket {
                who: team(&[(M, 4)], "short-track", 8, 1),
                qualification: None,
                rounds: RELAY_SEMIS,
                finals: SHORT_TRACK_FINALS,
                race: Race::FinishOrder,
                pace: pace(405.0, 0.03),
            },
            &[(18, 21, 30), (20, 21, 0)],
        ),
        // Skeleton at Cortina.
        spec(
            "SKNMSKELETON",
            "Men's Skeleton",
            V::SlidingCentre,
            sliding(
                ind(M, "skeleton", 25, 3),
                Hundredths,
                vec![pace(57.0, 0.012); 4],
                Some((3, 20)),
            ),
            &[(12, 9, 30), (12, 11, 0), (13, 9, 30), (13, 11, 0)],
        ),
        spec(
            "SKNWSKELETON",
            "Women's Skeleton",
            V::SlidingCentre,
            sliding(
                ind(W, "skeleton", 25, 3),
                Hundredths,
                vec![pace(58.5, 0.012); 4],
                Some((3, 20)),
            ),
            &[(13, 18, 30), (13, 20, 0), (14, 18, 30), (14, 20, 0)],
        ),
        spec(
            "SKNXTEAM",
            "Mixed Team",
            V::SlidingCentre,
            sliding(
                team(&[(W, 1), (M, 1)], "skeleton", 16, 2),
                Hundredths,
                vec![pace(58.5, 0.012), pace(57.0, 0.012)],
                None,
            ),
            &[(15, 19, 30), (15, 20, 30)],
        ),
        // Ski jumping at Predazzo.
        spec(
            "SJPWNORMALHILL",
            "Women's Normal Hill Individual",
            V::Predazzo,
            jumping(W, Hill::Normal),
            &[(7, 18, 45)],
        ),
        spec(
            "SJPMNORMALHILL",
            "Men's Normal Hill Individual",
            V::Predazzo,
            jumping(M, Hill::Normal),
            &[(9, 19, 0)],
        ),
        spec(
            "SJPXTEAM",
            "Mixed Team",
            V::Predazzo,
            P::TeamJumping {
                who: team(&[(W, 2), (M, 2)], "ski-jumping", 12, 1),
                hill: Hill::Normal,
                rounds: 2,
                cut: Some(8),
            },
            &[(10, 19, 45)],
        ),
        spec(
            "SJPMLARGEHILL",
            "Men's Large Hill Individual",
            V::Predazzo,
            jumping(M, Hill::Large),
            &[(14, 19, 0)],
        ),
        spec(
            "SJPWLARGEHILL",
            "Women's Large Hill Individual",
            V::Predazzo,
            jumping(W, Hill::Large),
            &[(15, 18, 45)],
        ),
        spec(
            "SJPMSUPERTEAM",
            "Men's Super Team",
            V::Predazzo,
            P::TeamJumping {
                who: team(&[(M, 2)], "ski-jumping", 12, 1),
                hill: Hill::Large,
                rounds: 3,
                cut: Some(8),
            },
            &[(16, 19, 0)],
        ),
        // Ski mountaineering at Bormio.
        spec(
            "SMTWSPRINT",
            "Women's Sprint",
            V::Stelvio,
            P::Bracket {
                who: ind(W, "skimo", 24, 2),
                qualification: Some(Qualification::Time {
                    precision: Tenths,
                    pace: pace(200.0, 0.06),
                    interval_s: 30,
                    keep: 18,
                }),
                rounds: SKIMO_ROUNDS,
                finals: Finals::Single,
                race: Race::FinishOrder,
                pace: pace(205.0, 0.04),
            },
            &[(19, 9, 0), (19, 13, 0)],
        ),
        spec(
            "SMTMSPRINT",
            "Men's Sprint",
            V::Stelvio,
            P::Bracket {
                who: ind(M, "skimo", 24, 2),
                qualification: Some(Qualification::Time {
                    precision: Tenths,
                    pace: pace(180.0, 0.06),
                    interval_s: 30,
                    keep: 18,
                }),
                rounds: SKIMO_ROUNDS,
                finals: Finals::Single,
                race: Race::FinishOrder,
                pace: pace(185.0, 0.04),
            },
            &[(19, 10, 0), (19, 13, 30)],
        ),
        spec(
            "SMTXRELAY",
            "Mixed Relay",
            V::Stelvio,
            mass(team(&[(W, 1), (M, 1)], "skimo", 15, 1), 2_280.0, 0.04),
            &[(21, 13, 0)],
        ),
        // Snowboard at Livigno.
        spec(
            "SBDMBIGAIR",
            "Men's Big Air",
            V::LivignoSnowPark,
            judged(ind(M, "park", 30, 4), BIG_AIR_JUDGING),
            &[(5, 19, 30), (7, 19, 30)],
        ),
        spec(
            "SBDWPGS",
            "Women's Parallel Giant Slalom",
            V::LivignoSnowPark,
            P::Bracket {
                who: ind(W, "parallel", 32, 4),
                qualification: Some(Qualification::TwoRuns {
                    precision: Hundredths,
                    pace: pace(44.0, 0.05),
                    keep: 16,
                }),
                rounds: DUELS,
                finals: DUEL_FINALS,
                race: Race::FinishOrder,
                pace: pace(44.0, 0.04),
            },
            &[(8, 9, 30), (8, 14, 25)],
        ),
        spec(
            "SBDMPGS",
            "Men's Parallel Giant Slalom",
            V::LivignoSnowPark,
            P::Bracket {
                who: ind(M, "parallel", 32, 4),
                qualification: Some(Qualification::TwoRuns {
                    precision: Hundredths,
                    pace: pace(41.0, 0.05),
                    keep: 16,
                }),
                rounds: DUELS,
                finals: DUEL_FINALS,
                race: Race::FinishOrder,
                pace: pace(41.0, 0.04),
            },
            &[(8, 10, 0), (8, 15, 10)],
        ),
        spec(
            "SBDWBIGAIR",
            "Women's Big Air",
            V::LivignoSnowPark,
            judged(ind(W, "park", 30, 4), BIG_AIR_JUDGING),
            &[(6, 19, 30), (9, 19, 30)],
        ),
        spec(
            "SBDWHALFPIPE",
            "Women's Halfpipe",
            V::LivignoSnowPark,
            judged(ind(W, "pipe", 25, 4), PARK_JUDGING),
            &[(11, 10, 0), (12, 19, 30)],
        ),
        spec(
            "SBDMHALFPIPE",
            "Men's Halfpipe",
            V::LivignoSnowPark,
            judged(ind(M, "pipe", 25, 4), PARK_JUDGING),
            &[(11, 13, 0), (13, 19, 30)],
        ),
        spec(
            "SBDMCROSS",
            "Men's Snowboard Cross",
            V::LivignoSnowPark,
            cross(ind(M, "cross", 32, 4), 75.0, 77.0),
            &[(12, 10, 0), (12, 12, 30)],
        ),
        spec(
            "SBDWCROSS",
            "Women's Snowboard Cross",
            V::LivignoSnowPark,
            cross(ind(W, "cross", 32, 4), 80.0, 82.0),
            &[(13, 10, 0), (13, 12, 30)],
        ),
        spec(
            "SBDXTEAMCROSS",
            "Mixed Team Snowboard Cross",
            V::LivignoSnowPark,
            P::Bracket {
                who: team(&[(W, 1), (M, 1)], "cross", 16, 2),
                qualification: None,
                rounds: TEAM_CROSS_ROUNDS,
                finals: CROSS_FINALS,
                race: Race::FinishOrder,
                pace: pace(156.0, 0.04),
            },
            &[(15, 12, 0)],
        ),
        spec(
            "SBDWSLOPESTYLE",
            "Women's Slopestyle",
            V::LivignoSnowPark,
            judged(ind(W, "park", 30, 4), PARK_JUDGING),
            &[(16, 10, 0), (18, 12, 30)],
        ),
        spec(
            "SBDMSLOPESTYLE",
            "Men's Slopestyle",
            V::LivignoSnowPark,
            judged(ind(M, "park", 30, 4), PARK_JUDGING),
            &[(17, 10, 0), (19, 12, 30)],
        ),
        // Speed skating in Milan, raced in pairs.
        spec(
            "SSKW3000M",
            "Women's 3000 m",
            V::SpeedSkatingStadium,
            long_track(W, 20, 236.0, 420),
            &[(7, 16, 0)],
        ),
        spec(
            "SSKM5000M",
            "Men's 5000 m",
            V::SpeedSkatingStadium,
            long_track(M, 20, 365.0, 480),
            &[(8, 16, 0)],
        ),
        spec(
            "SSKW1000M",
            "Women's 1000 m",
            V::SpeedSkatingStadium,
            long_track(W, 30, 73.5, 180),
            &[(9, 17, 30)],
        ),
        spec(
            "SSKM1000M",
            "Men's 1000 m",
            V::SpeedSkatingStadium,
            long_track(M, 30, 67.5, 180),
            &[(11, 17, 30)],
        ),
        spec(
            "SSKW5000M",
            "Women's 5000 m",
            V::SpeedSkatingStadium,
            long_track(W, 12, 410.0, 540),
            &[(12, 16, 30)],
        ),
        spec(
            "SSKM10000M",
            "Men's 10000 m",
            V::SpeedSkatingStadium,
            long_track(M, 12, 770.0, 900),
            &[(13, 16, 0)],
        ),
        spec(
            "SSKM500M",
            "Men's 500 m",
            V::SpeedSkatingStadium,
            long_track(M, 30, 34.3, 150),
            &[(14, 16, 0)],
        ),
        spec(
            "SSKW500M",
            "Women's 500 m",
            V::SpeedSkatingStadium,
            long_track(W, 30, 37.0, 150),
            &[(15, 16, 0)],
        ),
        spec(
            "SSKWTEAMPURSUIT",
            "Women's Team Pursuit",
            V::SpeedSkatingStadium,
            P::Bracket {
                who: team(&[(W, 3)], "long-track", 8, 1),
                qualification: None,
                rounds: TEAM_PURSUIT_ROUNDS,
                finals: PURSUIT_FINALS,
                race: Race::Time(Hundredths),
                pace: pace(175.0, 0.03),
            },
            &[(13, 20, 0), (17, 16, 0)],
        ),
        spec(
            "SSKMTEAMPURSUIT",
            "Men's Team Pursuit",
            V::SpeedSkatingStadium,
            P::Bracket {
                who: team(&[(M, 3)], "long-track", 8, 1),
                qualification: None,
                rounds: TEAM_PURSUIT_ROUNDS,
                finals: PURSUIT_FINALS,
                race: Race::Time(Hundredths),
                pace: pace(222.0, 0.03),
            },
            &[(13, 21, 0), (17, 17, 0)],
        ),
        spec(
            "SSKM1500M",
            "Men's 1500 m",
            V::SpeedSkatingStadium,
            long_track(M, 30, 104.0, 180),
            &[(19, 16, 30)],
        ),
        spec(
            "SSKW1500M",
            "Women's 1500 m",
            V::SpeedSkatingStadium,
            long_track(W, 30, 113.0, 180),
            &[(20, 16, 30)],
        ),
        spec(
            "SSKMMASSSTART",
            "Men's Mass Start",
            V::SpeedSkatingStadium,
            P::PointsRace {
                who: ind(M, "long-track", 24, 2),
                pace: pace(450.0, 0.02),
                finalists_per_semi: 8,
            },
            &[(21, 15, 0), (21, 17, 0)],
        ),
        spec(
            "SSKWMASSSTART",
            "Women's Mass Start",
            V::SpeedSkatingStadium,
            P::PointsRace {
                who: ind(W, "long-track", 24, 2),
                pace: pace(490.0, 0.02),
                finalists_per_semi: 8,
            },
            &[(21, 15, 30), (21, 17, 30)],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_full_programme_has_116_events_in_16_disciplines() {
        let all = events(Profile::Full);
        assert_eq!(all.len(), 116);
        let mut codes: Vec<&str> = all.iter().map(|e| e.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 116, "event codes are unique");
        let expected = [
            ("ALP", 10),
            ("BTH", 11),
            ("BOB", 4),
            ("CCS", 12),
            ("CUR", 3),
            ("FSK", 5),
            ("FRS", 15),
            ("IHO", 2),
            ("LUG", 5),
            ("NCB", 3),
            ("STK", 9),
            ("SKN", 3),
            ("SJP", 6),
            ("SMT", 3),
            ("SBD", 11),
            ("SSK", 14),
        ];
        for (discipline, count) in expected {
            assert_eq!(
                codes.iter().filter(|c| c.starts_with(discipline)).count(),
                count,
                "{discipline}"
            );
        }
        for spec in &all {
            assert!(
                spec.code.parse::<domain::EventCode>().is_ok(),
                "{}",
                spec.code
            );
            for (day, hour, minute) in spec.sessions {
                assert!(
                    (4..=22).contains(day) && *hour < 24 && *minute < 60,
                    "{}",
                    spec.code
                );
            }
        }
    }

    #[test]
    fn the_short_profile_keeps_every_incident() {
        let short: Vec<&str> = events(Profile::Short).iter().map(|e| e.code).collect();
        assert_eq!(short.len(), SHORT_PROFILE.len());
        for code in [
            incidents::TIE_AT_SILVER,
            incidents::CORRECTION,
            incidents::LATE_DISQUALIFICATION,
        ] {
            assert!(short.contains(&code), "{code}");
        }
    }

    #[test]
    fn chases_follow_the_events_they_start_from() {
        let all = events(Profile::Full);
        for (i, spec) in all.iter().enumerate() {
            if let Plan::FinishOrder {
                chase: Some(chase), ..
            } = &spec.plan
            {
                let source = all.iter().position(|e| e.code == chase.from);
                assert!(
                    source.is_some_and(|s| s < i),
                    "{} needs {} first",
                    spec.code,
                    chase.from
                );
            }
        }
    }
}
