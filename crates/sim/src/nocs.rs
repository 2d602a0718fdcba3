//! The National Olympic Committees of the simulated Games: IOC code, name, naming region, and a strength
//! per discipline (0 = not entered, 9 = the nation to beat) that sets quotas and form.
//!
//! Strengths are a rough picture of recent World Cups and Games (Norway in the Nordic disciplines,
//! Austria and Switzerland in alpine, the Netherlands on the long track, Korea, China, Canada and the
//! Netherlands in short track, Canada, the USA, Sweden and Finland in hockey…), not a ranking. `AIN` are the
//! individual neutral athletes, who enter individual events only.

use domain::Discipline;

use crate::names::Region;

/// One NOC.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NocInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub region: Region,
    strengths: &'static [(Discipline, u8)],
}

impl NocInfo {
    /// 0 (not entered) to 9 (strongest).
    pub fn strength(&self, discipline: Discipline) -> u8 {
        self.strengths
            .iter()
            .find(|(d, _)| *d == discipline)
            .map_or(0, |(_, s)| *s)
    }

    /// Individual neutral athletes take no part in team events.
    pub fn enters_teams(&self) -> bool {
        self.code != "AIN"
    }
}

/// Looks an NOC up by code.
pub fn noc(code: &str) -> Option<&'static NocInfo> {
    NOCS.iter().find(|n| n.code == code)
}

const ALP: Discipline = Discipline::AlpineSkiing;
const BTH: Discipline = Discipline::Biathlon;
const BOB: Discipline = Discipline::Bobsleigh;
const CCS: Discipline = Discipline::CrossCountrySkiing;
const CUR: Discipline = Discipline::Curling;
const FSK: Discipline = Discipline::FigureSkating;
const FRS: Discipline = Discipline::FreestyleSkiing;
const IHO: Discipline = Discipline::IceHockey;
const LUG: Discipline = Discipline::Luge;
const NCB: Discipline = Discipline::NordicCombined;
const STK: Discipline = Discipline::ShortTrackSpeedSkating;
const SKN: Discipline = Discipline::Skeleton;
const SJP: Discipline = Discipline::SkiJumping;
const SMT: Discipline = Discipline::SkiMountaineering;
const SBD: Discipline = Discipline::Snowboard;
const SSK: Discipline = Discipline::SpeedSkating;

const fn n(
    code: &'static str,
    name: &'static str,
    region: Region,
    strengths: &'static [(Discipline, u8)],
) -> NocInfo {
    NocInfo {
        code,
        name,
        region,
        strengths,
    }
}

use Region as R;

/// Every NOC, in IOC code order.
pub const NOCS: &[NocInfo] = &[
    n(
        "AIN",
        "Individual Neutral Athletes",
        R::EastSlavic,
        &[
            (FSK, 5),
            (SSK, 4),
            (CCS, 3),
            (STK, 2),
            (SMT, 2),
            (FRS, 2),
            (SBD, 2),
        ],
    ),
    n("ALB", "Albania", R::Global, &[(ALP, 1)]),
    n(
        "AND",
        "Andorra",
        R::Iberian,
        &[(ALP, 2), (SMT, 2), (CCS, 1)],
    ),
    n(
        "ARG",
        "Argentina",
        R::Iberian,
        &[(ALP, 1), (CCS, 1), (SBD, 1)],
    ),
    n(
        "ARM",
        "Armenia",
        R::Caucasian,
        &[(ALP, 1), (CCS, 1), (FSK, 1)],
    ),
    n(
        "AUS",
        "Australia",
        R::English,
        &[
            (FRS, 6),
            (SBD, 6),
            (ALP, 2),
            (SKN, 2),
            (BOB, 2),
            (STK, 1),
            (FSK, 1),
            (CCS, 1),
            (LUG, 1),
        ],
    ),
    n(
        "AUT",
        "Austria",
        R::German,
        &[
            (ALP, 9),
            (SJP, 9),
            (NCB, 8),
            (LUG, 8),
            (SBD, 7),
            (BOB, 6),
            (FRS, 6),
            (BTH, 5),
            (SKN, 5),
            (SMT, 5),
            (CCS, 3),
            (SSK, 2),
            (FSK, 2),
            (STK, 1),
            (IHO, 4),
            (CUR, 2),
        ],
    ),
    n("AZE", "Azerbaijan", R::Caucasian, &[(FSK, 1), (ALP, 1)]),
    n(
        "BEL",
        "Belgium",
        R::Dutch,
        &[
            (SSK, 4),
            (STK, 3),
            (FSK, 3),
            (BOB, 2),
            (ALP, 1),
            (SBD, 1),
            (SKN, 1),
        ],
    ),
    n(
        "BIH",
        "Bosnia and Herzegovina",
        R::SouthSlavic,
        &[(ALP, 1), (CCS, 1), (BTH, 1)],
    ),
    n("BOL", "Bolivia", R::Iberian, &[(ALP, 1)]),
    n(
        "BRA",
        "Brazil",
        R::Iberian,
        &[(ALP, 2), (BOB, 2), (CCS, 1), (SBD, 1)],
    ),
    n(
        "BUL",
        "Bulgaria",
        R::SouthSlavic,
        &[(SBD, 4), (BTH, 3), (ALP, 2), (CCS, 2), (LUG, 1), (SJP, 1)],
    ),
    n(
        "CAN",
        "Canada",
        R::English,
        &[
            (IHO, 9),
            (CUR, 9),
            (FRS, 8),
            (STK, 8),
            (SSK, 7),
            (FSK, 7),
            (SBD, 7),
            (BOB, 7),
            (ALP, 6),
            (SKN, 5),
            (CCS, 4),
            (LUG, 4),
            (BTH, 3),
            (SJP, 1),
            (SMT, 1),
        ],
    ),
    n("CHI", "Chile", R::Iberian, &[(ALP, 2), (CCS, 1), (SBD, 1)]),
    n(
        "CHN",
        "People's Republic of China",
        R::Chinese,
        &[
            (FRS, 9),
            (STK, 8),
            (SBD, 6),
            (FSK, 6),
            (SSK, 5),
            (CUR, 5),
            (SKN, 3),
            (BOB, 3),
            (BTH, 2),
            (CCS, 2),
            (ALP, 1),
            (SJP, 1),
            (SMT, 1),
        ],
    ),
    n("COL", "Colombia", R::Iberian, &[(ALP, 1), (SSK, 1)]),
    n(
        "CRO",
        "Croatia",
        R::SouthSlavic,
        &[(ALP, 4), (CCS, 1), (BTH, 1)],
    ),
    n("CYP", "Cyprus", R::Greek, &[(ALP, 1)]),
    n(
        "CZE",
        "Czechia",
        R::CzechSlovak,
        &[
            (IHO, 7),
            (SBD, 6),
            (BTH, 5),
            (CCS, 5),
            (ALP, 4),
            (SSK, 4),
            (CUR, 3),
            (FSK, 2),
            (NCB, 2),
            (SJP, 2),
            (BOB, 2),
            (LUG, 2),
            (SKN, 1),
            (FRS, 1),
        ],
    ),
    n(
        "DEN",
        "Denmark",
        R::Nordic,
        &[(CUR, 6), (IHO, 5), (CCS, 1), (ALP, 1), (SSK, 1), (FSK, 1)],
    ),
    n("ECU", "Ecuador", R::Iberian, &[(CCS, 1), (ALP, 1)]),
    n("ERI", "Eritrea", R::Global, &[(ALP, 1)]),
    n(
        "ESP",
        "Spain",
        R::Iberian,
        &[(SMT, 6), (SBD, 5), (ALP, 2), (FSK, 2), (FRS, 1), (CCS, 1)],
    ),
    n(
        "EST",
        "Estonia",
        R::Finnish,
        &[
            (BTH, 4),
            (FRS, 4),
            (CUR, 4),
            (CCS, 3),
            (NCB, 3),
            (FSK, 2),
            (ALP, 1),
            (SSK, 1),
        ],
    ),
    n(
        "FIN",
        "Finland",
        R::Finnish,
        &[
            (IHO, 8),
            (CCS, 7),
            (BTH, 5),
            (NCB, 5),
            (ALP, 4),
            (SJP, 4),
            (FRS, 4),
            (SBD, 4),
            (CUR, 2),
            (FSK, 2),
            (SSK, 1),
        ],
    ),
    n(
        "FRA",
        "France",
        R::French,
        &[
            (BTH, 9),
            (ALP, 8),
            (SMT, 8),
            (FRS, 7),
            (CCS, 6),
            (SBD, 6),
            (FSK, 6),
            (NCB, 5),
            (STK, 3),
            (IHO, 3),
            (SSK, 2),
            (SJP, 1),
            (BOB, 1),
        ],
    ),
    n(
        "GBR",
        "Great Britain",
        R::English,
        &[
            (CUR, 8),
            (SKN, 7),
            (BOB, 5),
            (SBD, 4),
            (FRS, 4),
            (ALP, 3),
            (STK, 3),
            (FSK, 2),
            (BTH, 1),
            (CCS, 1),
            (SSK, 1),
        ],
    ),
    n(
        "GEO",
        "Georgia",
        R::Caucasian,
        &[(FSK, 5), (ALP, 1), (LUG, 1), (CCS, 1)],
    ),
    n(
        "GER",
        "Germany",
        R::German,
        &[
            (BOB, 9),
            (LUG, 9),
            (NCB, 9),
            (BTH, 8),
            (SJP, 8),
            (SKN, 8),
            (ALP, 6),
            (IHO, 6),
            (CCS, 5),
            (FSK, 5),
            (SBD, 5),
            (SMT, 5),
            (SSK, 4),
            (FRS, 4),
            (CUR, 4),
            (STK, 2),
        ],
    ),
    n("GHA", "Ghana", R::Global, &[(SKN, 1), (ALP, 1)]),
    n("GRE", "Greece", R::Greek, &[(ALP, 1), (CCS, 1)]),
    n("HAI", "Haiti", R::French, &[(ALP, 1)]),
    n("HKG", "Hong Kong, China", R::Chinese, &[(ALP, 1), (STK, 1)]),
    n(
        "HUN",
        "Hungary",
        R::Hungarian,
        &[(STK, 6), (FSK, 2), (ALP, 1), (CCS, 1), (SSK, 1)],
    ),
    n("IND", "India", R::Global, &[(ALP, 1), (CCS, 1), (LUG, 1)]),
    n("IRL", "Ireland", R::English, &[(ALP, 1), (SKN, 1)]),
    n(
        "IRN",
        "Islamic Republic of Iran",
        R::Global,
        &[(ALP, 1), (CCS, 1)],
    ),
    n("ISL", "Iceland", R::Nordic, &[(ALP, 1), (CCS, 1)]),
    n("ISR", "Israel", R::Global, &[(FSK, 3), (ALP, 1), (SKN, 1)]),
    n(
        "ITA",
        "Italy",
        R::Italian,
        &[
            (ALP, 8),
            (BTH, 7),
            (LUG, 7),
            (SMT, 7),
            (STK, 6),
            (CUR, 6),
            (CCS, 5),
            (BOB, 5),
            (SSK, 5),
            (FSK, 5),
            (SBD, 5),
            (FRS, 5),
            (IHO, 4),
            (NCB, 3),
            (SKN, 3),
            (SJP, 2),
        ],
    ),
    n(
        "JAM",
        "Jamaica",
        R::English,
        &[(BOB, 3), (SKN, 1), (ALP, 1)],
    ),
    n(
        "JPN",
        "Japan",
        R::Japanese,
        &[
            (SBD, 9),
            (FSK, 9),
            (SJP, 8),
            (SSK, 7),
            (NCB, 6),
            (FRS, 6),
            (CUR, 5),
            (STK, 4),
            (IHO, 3),
            (ALP, 2),
            (CCS, 2),
            (SMT, 2),
            (BTH, 1),
        ],
    ),
    n(
        "KAZ",
        "Kazakhstan",
        R::Turkic,
        &[
            (FRS, 4),
            (CCS, 3),
            (BTH, 3),
            (SSK, 3),
            (STK, 3),
            (FSK, 3),
            (SJP, 2),
            (NCB, 2),
            (ALP, 1),
            (IHO, 1),
        ],
    ),
    n("KEN", "Kenya", R::Global, &[(ALP, 1)]),
    n("KGZ", "Kyrgyzstan", R::Turkic, &[(ALP, 1), (CCS, 1)]),
    n(
        "KOR",
        "Republic of Korea",
        R::Korean,
        &[
            (STK, 9),
            (SSK, 5),
            (CUR, 5),
            (FSK, 4),
            (SKN, 4),
            (SBD, 3),
            (BOB, 3),
            (ALP, 1),
            (BTH, 1),
            (CCS, 1),
            (LUG, 1),
        ],
    ),
    n("KOS", "Kosovo", R::SouthSlavic, &[(ALP, 1)]),
    n("KSA", "Saudi Arabia", R::Global, &[(ALP, 1)]),
    n(
        "LAT",
        "Latvia",
        R::Baltic,
        &[
            (LUG, 7),
            (BOB, 6),
            (SKN, 6),
            (IHO, 5),
            (BTH, 2),
            (CCS, 2),
            (ALP, 1),
            (SSK, 1),
        ],
    ),
    n("LBN", "Lebanon", R::Global, &[(ALP, 1), (CCS, 1)]),
    n("LIE", "Liechtenstein", R::German, &[(ALP, 4), (CCS, 1)]),
    n(
        "LTU",
        "Lithuania",
        R::Baltic,
        &[(BTH, 2), (CCS, 2), (FSK, 2), (ALP, 1)],
    ),
    n("LUX", "Luxembourg", R::German, &[(ALP, 1)]),
    n("MAD", "Madagascar", R::Global, &[(ALP, 1)]),
    n("MAR", "Morocco", R::Global, &[(ALP, 1)]),
    n(
        "MDA",
        "Republic of Moldova",
        R::Romanian,
        &[(BTH, 1), (CCS, 1)],
    ),
    n("MEX", "Mexico", R::Iberian, &[(ALP, 1), (FSK, 1), (SKN, 1)]),
    n("MGL", "Mongolia", R::Turkic, &[(CCS, 1), (ALP, 1)]),
    n(
        "MKD",
        "North Macedonia",
        R::SouthSlavic,
        &[(ALP, 1), (CCS, 1)],
    ),
    n("MLT", "Malta", R::Italian, &[(ALP, 1)]),
    n("MNE", "Montenegro", R::SouthSlavic, &[(ALP, 1)]),
    n("MON", "Monaco", R::French, &[(BOB, 2), (ALP, 1)]),
    n(
        "NED",
        "Netherlands",
        R::Dutch,
        &[
            (SSK, 9),
            (STK, 8),
            (SBD, 3),
            (BOB, 3),
            (FSK, 1),
            (ALP, 1),
            (SKN, 1),
        ],
    ),
    n("NGR", "Nigeria", R::Global, &[(BOB, 2), (SKN, 1)]),
    n(
        "NOR",
        "Norway",
        R::Nordic,
        &[
            (BTH, 9),
            (CCS, 9),
            (NCB, 9),
            (SJP, 8),
            (ALP, 7),
            (FRS, 5),
            (SSK, 5),
            (CUR, 5),
            (SBD, 3),
            (SMT, 3),
            (IHO, 2),
        ],
    ),
    n(
        "NZL",
        "New Zealand",
        R::English,
        &[(SBD, 6), (FRS, 6), (ALP, 2), (CCS, 1)],
    ),
    n("PAK", "Pakistan", R::Global, &[(ALP, 1)]),
    n("PER", "Peru", R::Iberian, &[(ALP, 1)]),
    n("PHI", "Philippines", R::Iberian, &[(FSK, 2), (ALP, 1)]),
    n(
        "POL",
        "Poland",
        R::Polish,
        &[
            (SJP, 6),
            (SSK, 5),
            (STK, 4),
            (BTH, 3),
            (CCS, 3),
            (SMT, 2),
            (ALP, 1),
            (LUG, 1),
        ],
    ),
    n("POR", "Portugal", R::Iberian, &[(ALP, 1), (CCS, 1)]),
    n("PUR", "Puerto Rico", R::Iberian, &[(ALP, 1)]),
    n(
        "ROU",
        "Romania",
        R::Romanian,
        &[(LUG, 3), (BTH, 2), (BOB, 2), (SKN, 2), (ALP, 1), (CCS, 1)],
    ),
    n("RSA", "South Africa", R::English, &[(ALP, 1)]),
    n("SGP", "Singapore", R::Chinese, &[(STK, 1)]),
    n(
        "SLO",
        "Slovenia",
        R::SouthSlavic,
        &[(SJP, 8), (ALP, 6), (SBD, 6), (BTH, 4), (CCS, 4), (NCB, 2)],
    ),
    n("SMR", "San Marino", R::Italian, &[(ALP, 1)]),
    n(
        "SRB",
        "Serbia",
        R::SouthSlavic,
        &[(ALP, 1), (CCS, 1), (BTH, 1)],
    ),
    n(
        "SUI",
        "Switzerland",
        R::German,
        &[
            (ALP, 9),
            (FRS, 8),
            (SBD, 8),
            (SMT, 8),
            (CUR, 7),
            (IHO, 7),
            (BOB, 6),
            (BTH, 4),
            (CCS, 4),
            (SJP, 4),
            (FSK, 3),
            (NCB, 2),
            (SKN, 2),
            (SSK, 1),
            (LUG, 1),
        ],
    ),
    n(
        "SVK",
        "Slovakia",
        R::CzechSlovak,
        &[(ALP, 7), (IHO, 6), (BTH, 4), (LUG, 4), (CCS, 2), (SBD, 1)],
    ),
    n(
        "SWE",
        "Sweden",
        R::Nordic,
        &[
            (CUR, 8),
            (IHO, 8),
            (CCS, 8),
            (BTH, 7),
            (ALP, 6),
            (FRS, 6),
            (SSK, 4),
            (SMT, 3),
            (SBD, 2),
            (FSK, 2),
            (SJP, 1),
        ],
    ),
    n("THA", "Thailand", R::Global, &[(ALP, 1), (CCS, 1)]),
    n("TLS", "Timor-Leste", R::Iberian, &[(ALP, 1)]),
    n(
        "TPE",
        "Chinese Taipei",
        R::Chinese,
        &[(LUG, 1), (SSK, 1), (ALP, 1)],
    ),
    n("TTO", "Trinidad and Tobago", R::English, &[(BOB, 1)]),
    n(
        "TUR",
        "Türkiye",
        R::Turkic,
        &[(ALP, 1), (CCS, 1), (SJP, 1), (STK, 1), (FSK, 1)],
    ),
    n(
        "UKR",
        "Ukraine",
        R::EastSlavic,
        &[
            (BTH, 5),
            (FRS, 5),
            (LUG, 4),
            (CCS, 3),
            (SKN, 2),
            (FSK, 2),
            (SJP, 1),
            (NCB, 1),
            (ALP, 1),
            (SSK, 1),
        ],
    ),
    n(
        "USA",
        "United States of America",
        R::English,
        &[
            (IHO, 9),
            (SBD, 9),
            (FRS, 8),
            (FSK, 8),
            (ALP, 7),
            (BOB, 7),
            (SSK, 6),
            (CUR, 6),
            (STK, 5),
            (CCS, 5),
            (LUG, 5),
            (SKN, 5),
            (BTH, 4),
            (SMT, 4),
            (NCB, 3),
            (SJP, 2),
        ],
    ),
    n("UZB", "Uzbekistan", R::Turkic, &[(FSK, 2), (ALP, 1)]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_ninety_nocs_with_valid_unique_codes() {
        assert!((80..=100).contains(&NOCS.len()), "{} NOCs", NOCS.len());
        let mut codes: Vec<&str> = NOCS.iter().map(|n| n.code).collect();
        let sorted = codes.clone();
        codes.sort_unstable();
        assert_eq!(codes, sorted, "the table stays in code order");
        codes.dedup();
        assert_eq!(codes.len(), NOCS.len(), "codes are unique");
        for info in NOCS {
            assert!(info.code.parse::<domain::Noc>().is_ok(), "{}", info.code);
            assert!(
                info.strengths.iter().all(|(_, s)| (1..=9).contains(s)),
                "{}",
                info.code
            );
        }
    }

    #[test]
    fn strengths_put_the_traditional_powers_on_top() {
        let strongest = |discipline: Discipline| {
            NOCS.iter()
                .map(|n| n.strength(discipline))
                .max()
                .unwrap_or(0)
        };
        for (code, discipline) in [
            ("NOR", CCS),
            ("NOR", BTH),
            ("AUT", ALP),
            ("SUI", ALP),
            ("NED", SSK),
            ("KOR", STK),
            ("CAN", IHO),
            ("GER", LUG),
        ] {
            let info = noc(code).map(|n| n.strength(discipline));
            assert_eq!(
                info,
                Some(strongest(discipline)),
                "{code} in {discipline:?}"
            );
        }
        assert_eq!(noc("NED").map(|n| n.strength(ALP)), Some(1));
        assert_eq!(noc("XYZ").map(|n| n.code), None);
    }
}
