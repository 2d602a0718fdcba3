//! The National Olympic Committees by IOC code: the English name the IOC uses, and the ISO 3166 country
//! whose flag a fan would expect beside it.
//!
//! Results carry only the three-letter code (`SUI`, not `CHE`); readers want "Switzerland" and a flag.
//! The table is data, not a rule: a code missing here is still a valid [`Noc`] (the code checks only its
//! shape), and is then shown as itself. Special teams (`AIN`, `EOR`) and delegations that do not compete
//! under their country's flag (`TPE`) have no flag of their own.

use crate::codes::Noc;

/// One NOC: its IOC code, the IOC's English name, and an ISO 3166-1 alpha-2 code for its flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NocInfo {
    pub code: &'static str,
    pub name: &'static str,
    /// `None` where no national flag stands for the team.
    pub iso: Option<&'static str>,
}

/// The entry for `noc`, if the table knows it.
pub fn noc_info(noc: &Noc) -> Option<&'static NocInfo> {
    let code = noc.as_str();
    NOCS.binary_search_by(|info| info.code.cmp(code))
        .ok()
        .and_then(|index| NOCS.get(index))
}

/// The English name of `noc`, or the code itself when the table does not know it.
pub fn noc_name(noc: &Noc) -> &str {
    noc_info(noc).map_or(noc.as_str(), |info| info.name)
}

/// The flag of `noc` as an emoji (two regional indicator symbols), when it has one.
pub fn noc_flag(noc: &Noc) -> Option<String> {
    let iso = noc_info(noc)?.iso?;
    iso.chars()
        .map(|letter| {
            let offset = u32::from(letter).checked_sub(u32::from('A'))?;
            char::from_u32(0x1F1E6 + offset)
        })
        .collect()
}

/// Every NOC the table knows, by code.
pub fn all() -> &'static [NocInfo] {
    NOCS
}

const fn n(code: &'static str, name: &'static str, iso: &'static str) -> NocInfo {
    NocInfo {
        code,
        name,
        iso: Some(iso),
    }
}

const fn team(code: &'static str, name: &'static str) -> NocInfo {
    NocInfo {
        code,
        name,
        iso: None,
    }
}

/// Sorted by code (the lookup is a binary search; a test keeps it sorted).
static NOCS: &[NocInfo] = &[
    n("AFG", "Afghanistan", "AF"),
    team("AIN", "Individual Neutral Athletes"),
    n("ALB", "Albania", "AL"),
    n("ALG", "Algeria", "DZ"),
    n("AND", "Andorra", "AD"),
    n("ANG", "Angola", "AO"),
    n("ANT", "Antigua and Barbuda", "AG"),
    n("ARG", "Argentina", "AR"),
    n("ARM", "Armenia", "AM"),
    n("ARU", "Aruba", "AW"),
    n("ASA", "American Samoa", "AS"),
    n("AUS", "Australia", "AU"),
    n("AUT", "Austria", "AT"),
    n("AZE", "Azerbaijan", "AZ"),
    n("BAH", "Bahamas", "BS"),
    n("BAN", "Bangladesh", "BD"),
    n("BAR", "Barbados", "BB"),
    n("BDI", "Burundi", "BI"),
    n("BEL", "Belgium", "BE"),
    n("BEN", "Benin", "BJ"),
    n("BER", "Bermuda", "BM"),
    n("BHU", "Bhutan", "BT"),
    n("BIH", "Bosnia and Herzegovina", "BA"),
    n("BIZ", "Belize", "BZ"),
    n("BLR", "Belarus", "BY"),
    n("BOL", "Bolivia", "BO"),
    n("BOT", "Botswana", "BW"),
    n("BRA", "Brazil", "BR"),
    n("BRN", "Bahrain", "BH"),
    n("BRU", "Brunei Darussalam", "BN"),
    n("BUL", "Bulgaria", "BG"),
    n("BUR", "Burkina Faso", "BF"),
    n("CAF", "Central African Republic", "CF"),
    n("CAM", "Cambodia", "KH"),
    n("CAN", "Canada", "CA"),
    n("CAY", "Cayman Islands", "KY"),
    n("CGO", "Congo", "CG"),
    n("CHA", "Chad", "TD"),
    n("CHI", "Chile", "CL"),
    n("CHN", "People's Republic of China", "CN"),
    n("CIV", "Côte d'Ivoire", "CI"),
    n("CMR", "Cameroon", "CM"),
    n("COD", "Democratic Republic of the Congo", "CD"),
    n("COK", "Cook Islands", "CK"),
    n("COL", "Colombia", "CO"),
    n("COM", "Comoros", "KM"),
    n("CPV", "Cabo Verde", "CV"),
    n("CRC", "Costa Rica", "CR"),
    n("CRO", "Croatia", "HR"),
    n("CUB", "Cuba", "CU"),
    n("CYP", "Cyprus", "CY"),
    n("CZE", "Czechia", "CZ"),
    n("DEN", "Denmark", "DK"),
    n("DJI", "Djibouti", "DJ"),
    n("DMA", "Dominica", "DM"),
    n("DOM", "Dominican Republic", "DO"),
    n("ECU", "Ecuador", "EC"),
    n("EGY", "Egypt", "EG"),
    team("EOR", "Refugee Olympic Team"),
    n("ERI", "Eritrea", "ER"),
    n("ESA", "El Salvador", "SV"),
    n("ESP", "Spain", "ES"),
    n("EST", "Estonia", "EE"),
    n("ETH", "Ethiopia", "ET"),
    n("FIJ", "Fiji", "FJ"),
    n("FIN", "Finland", "FI"),
    n("FRA", "France", "FR"),
    n("FSM", "Federated States of Micronesia", "FM"),
    n("GAB", "Gabon", "GA"),
    n("GAM", "Gambia", "GM"),
    n("GBR", "Great Britain", "GB"),
    n("GBS", "Guinea-Bissau", "GW"),
    n("GEO", "Georgia", "GE"),
    n("GEQ", "Equatorial Guinea", "GQ"),
    n("GER", "Germany", "DE"),
    n("GHA", "Ghana", "GH"),
    n("GRE", "Greece", "GR"),
    n("GRN", "Grenada", "GD"),
    n("GUA", "Guatemala", "GT"),
    n("GUI", "Guinea", "GN"),
    n("GUM", "Guam", "GU"),
    n("GUY", "Guyana", "GY"),
    n("HAI", "Haiti", "HT"),
    n("HKG", "Hong Kong, China", "HK"),
    n("HON", "Honduras", "HN"),
    n("HUN", "Hungary", "HU"),
    n("INA", "Indonesia", "ID"),
    n("IND", "India", "IN"),
    n("IRI", "Islamic Republic of Iran", "IR"),
    n("IRL", "Ireland", "IE"),
    n("IRQ", "Iraq", "IQ"),
    n("ISL", "Iceland", "IS"),
    n("ISR", "Israel", "IL"),
    n("ISV", "Virgin Islands, US", "VI"),
    n("ITA", "Italy", "IT"),
    n("IVB", "British Virgin Islands", "VG"),
    n("JAM", "Jamaica", "JM"),
    n("JOR", "Jordan", "JO"),
    n("JPN", "Japan", "JP"),
    n("KAZ", "Kazakhstan", "KZ"),
    n("KEN", "Kenya", "KE"),
    n("KGZ", "Kyrgyzstan", "KG"),
    n("KIR", "Kiribati", "KI"),
    n("KOR", "Republic of Korea", "KR"),
    // Kosovo has no ISO 3166-1 code, so no flag emoji every platform draws.
    team("KOS", "Kosovo"),
    n("KSA", "Saudi Arabia", "SA"),
    n("KUW", "Kuwait", "KW"),
    n("LAO", "Lao People's Democratic Republic", "LA"),
    n("LAT", "Latvia", "LV"),
    n("LBA", "Libya", "LY"),
    n("LBN", "Lebanon", "LB"),
    n("LBR", "Liberia", "LR"),
    n("LCA", "Saint Lucia", "LC"),
    n("LES", "Lesotho", "LS"),
    n("LIE", "Liechtenstein", "LI"),
    n("LTU", "Lithuania", "LT"),
    n("LUX", "Luxembourg", "LU"),
    n("MAD", "Madagascar", "MG"),
    n("MAR", "Morocco", "MA"),
    n("MAS", "Malaysia", "MY"),
    n("MAW", "Malawi", "MW"),
    n("MDA", "Republic of Moldova", "MD"),
    n("MDV", "Maldives", "MV"),
    n("MEX", "Mexico", "MX"),
    n("MGL", "Mongolia", "MN"),
    n("MHL", "Marshall Islands", "MH"),
    n("MKD", "North Macedonia", "MK"),
    n("MLI", "Mali", "ML"),
    n("MLT", "Malta", "MT"),
    n("MNE", "Montenegro", "ME"),
    n("MON", "Monaco", "MC"),
    n("MOZ", "Mozambique", "MZ"),
    n("MRI", "Mauritius", "MU"),
    n("MTN", "Mauritania", "MR"),
    n("MYA", "Myanmar", "MM"),
    n("NAM", "Namibia", "NA"),
    n("NCA", "Nicaragua", "NI"),
    n("NED", "Netherlands", "NL"),
    n("NEP", "Nepal", "NP"),
    n("NGR", "Nigeria", "NG"),
    n("NIG", "Niger", "NE"),
    n("NOR", "Norway", "NO"),
    n("NRU", "Nauru", "NR"),
    n("NZL", "New Zealand", "NZ"),
    n("OMA", "Oman", "OM"),
    n("PAK", "Pakistan", "PK"),
    n("PAN", "Panama", "PA"),
    n("PAR", "Paraguay", "PY"),
    n("PER", "Peru", "PE"),
    n("PHI", "Philippines", "PH"),
    n("PLE", "Palestine", "PS"),
    n("PLW", "Palau", "PW"),
    n("PNG", "Papua New Guinea", "PG"),
    n("POL", "Poland", "PL"),
    n("POR", "Portugal", "PT"),
    n("PRK", "Democratic People's Republic of Korea", "KP"),
    n("PUR", "Puerto Rico", "PR"),
    n("QAT", "Qatar", "QA"),
    n("ROU", "Romania", "RO"),
    n("RSA", "South Africa", "ZA"),
    n("RUS", "Russian Federation", "RU"),
    n("RWA", "Rwanda", "RW"),
    n("SAM", "Samoa", "WS"),
    n("SEN", "Senegal", "SN"),
    n("SEY", "Seychelles", "SC"),
    n("SGP", "Singapore", "SG"),
    n("SKN", "Saint Kitts and Nevis", "KN"),
    n("SLE", "Sierra Leone", "SL"),
    n("SLO", "Slovenia", "SI"),
    n("SMR", "San Marino", "SM"),
    n("SOL", "Solomon Islands", "SB"),
    n("SOM", "Somalia", "SO"),
    n("SRB", "Serbia", "RS"),
    n("SRI", "Sri Lanka", "LK"),
    n("SSD", "South Sudan", "SS"),
    n("STP", "Sao Tome and Principe", "ST"),
    n("SUD", "Sudan", "SD"),
    n("SUI", "Switzerland", "CH"),
    n("SUR", "Suriname", "SR"),
    n("SVK", "Slovakia", "SK"),
    n("SWE", "Sweden", "SE"),
    n("SWZ", "Eswatini", "SZ"),
    n("SYR", "Syrian Arab Republic", "SY"),
    n("TAN", "United Republic of Tanzania", "TZ"),
    n("TGA", "Tonga", "TO"),
    n("THA", "Thailand", "TH"),
    n("TJK", "Tajikistan", "TJ"),
    n("TKM", "Turkmenistan", "TM"),
    n("TLS", "Timor-Leste", "TL"),
    n("TOG", "Togo", "TG"),
    // Chinese Taipei competes under its Olympic flag, not a national one.
    team("TPE", "Chinese Taipei"),
    n("TTO", "Trinidad and Tobago", "TT"),
    n("TUN", "Tunisia", "TN"),
    n("TUR", "Türkiye", "TR"),
    n("TUV", "Tuvalu", "TV"),
    n("UAE", "United Arab Emirates", "AE"),
    n("UGA", "Uganda", "UG"),
    n("UKR", "Ukraine", "UA"),
    n("URU", "Uruguay", "UY"),
    n("USA", "United States of America", "US"),
    n("UZB", "Uzbekistan", "UZ"),
    n("VAN", "Vanuatu", "VU"),
    n("VEN", "Venezuela", "VE"),
    n("VIE", "Vietnam", "VN"),
    n("VIN", "Saint Vincent and the Grenadines", "VC"),
    n("YEM", "Yemen", "YE"),
    n("ZAM", "Zambia", "ZM"),
    n("ZIM", "Zimbabwe", "ZW"),
];

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn noc(code: &str) -> Noc {
        code.parse().unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn the_table_is_sorted_unique_and_every_code_is_a_valid_noc() {
        for pair in NOCS.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for info in NOCS {
            assert!(info.code.parse::<Noc>().is_ok(), "{}", info.code);
            assert!(info.iso.is_none_or(|iso| iso.len() == 2 && iso.bytes().all(|b| b.is_ascii_uppercase())));
        }
    }

    #[test]
    fn names_and_flags_are_the_ones_fans_expect() {
        let check = |code: &str, name: &str, flag: Option<&str>| {
            assert_eq!(noc_name(&noc(code)), name, "{code}");
            assert_eq!(noc_flag(&noc(code)).as_deref(), flag, "{code}");
        };
        check("SUI", "Switzerland", Some("🇨🇭"));
        check("GER", "Germany", Some("🇩🇪"));
        check("NED", "Netherlands", Some("🇳🇱"));
        check("AIN", "Individual Neutral Athletes", None);
        check("TPE", "Chinese Taipei", None);
        // Unknown to the table: shown as its code, without a flag.
        check("XYZ", "XYZ", None);
    }
}
