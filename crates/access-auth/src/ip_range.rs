//! IP ranges in CIDR notation (a feed's allowed sources), and the key a client is counted by.
//!
//! Written here rather than taken from a crate: matching a prefix is a mask over a `u32` or `u128`, and
//! the one subtle case (an IPv4 client seen as an IPv4-mapped IPv6 address) is a line of `std`.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::str::FromStr;

/// A network: an address whose bits beyond `prefix` are zero, and the prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

/// Why a range in the configuration was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum RangeError {
    #[error("{0:?} is not an IP address or CIDR range")]
    NotAnAddress(String),
    #[error("{0:?} has a prefix length beyond the address's bits")]
    PrefixTooLong(String),
    /// `10.0.0.1/8` is almost always a typing mistake for `10.0.0.1/32` or `10.0.0.0/8`; guessing
    /// which would widen or narrow an allow-list silently.
    #[error("{0:?} has bits set beyond its prefix length")]
    HostBitsSet(String),
}

impl IpRange {
    /// Whether `ip` is in this range. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is the IPv4
    /// address it maps, so an IPv4 range still matches a client that reached the edge over IPv6 mapping.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(network), IpAddr::V4(ip)) => {
                let mask = mask_u32(self.prefix);
                u32::from(ip) & mask == u32::from(network)
            }
            (IpAddr::V6(network), IpAddr::V6(ip)) => {
                let mask = mask_u128(self.prefix);
                u128::from(ip) & mask == u128::from(network)
            }
            _ => false,
        }
    }
}

impl FromStr for IpRange {
    type Err = RangeError;

    /// `192.0.2.0/24`, `2001:db8::/32`, or a bare address (a range of one).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => {
                // Only plain digits: `u8::from_str` would take "+8".
                if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(RangeError::NotAnAddress(text.to_owned()));
                }
                let prefix = prefix
                    .parse::<u8>()
                    .map_err(|_| RangeError::PrefixTooLong(text.to_owned()))?;
                (address, Some(prefix))
            }
            None => (text, None),
        };
        let network: IpAddr = address
            .parse()
            .map_err(|_| RangeError::NotAnAddress(text.to_owned()))?;
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(bits);
        if prefix > bits {
            return Err(RangeError::PrefixTooLong(text.to_owned()));
        }
        let host_bits_set = match network {
            IpAddr::V4(v4) => u32::from(v4) & !mask_u32(prefix) != 0,
            IpAddr::V6(v6) => u128::from(v6) & !mask_u128(prefix) != 0,
        };
        if host_bits_set {
            return Err(RangeError::HostBitsSet(text.to_owned()));
        }
        Ok(IpRange { network, prefix })
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

fn mask_u32(prefix: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0)
}

fn mask_u128(prefix: u8) -> u128 {
    u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0)
}

/// The key a client is counted by (blocks, rate limits): an IPv4 address whole, an IPv6 address by its
/// /64. One subscriber usually holds a whole /64 and can pick any address in it, so counting IPv6
/// addresses one by one would let a single client rotate past every limit.
pub fn client_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let network = Ipv6Addr::from(u128::from(v6) & mask_u128(64));
            format!("{network}/64")
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use std::net::IpAddr;

    use super::{IpRange, RangeError, client_key};

    fn range(text: &str) -> IpRange {
        text.parse().unwrap()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    /// `(range, address, expected)`.
    fn check(cases: &[(&str, &str, bool)]) {
        for (network, address, expected) in cases {
            assert_eq!(
                range(network).contains(ip(address)),
                *expected,
                "{network} contains {address}"
            );
        }
    }

    #[test]
    fn ipv4_ranges_match_by_prefix() {
        check(&[
            ("192.0.2.0/24", "192.0.2.0", true),
            ("192.0.2.0/24", "192.0.2.255", true),
            ("192.0.2.0/24", "192.0.3.0", false),
            ("192.0.2.128/25", "192.0.2.127", false),
            ("192.0.2.128/25", "192.0.2.200", true),
            ("203.0.113.7", "203.0.113.7", true),
            ("203.0.113.7", "203.0.113.8", false),
            ("203.0.113.7/32", "203.0.113.7", true),
            ("0.0.0.0/0", "198.51.100.1", true),
            ("10.0.0.0/8", "10.255.255.255", true),
            ("10.0.0.0/8", "11.0.0.0", false),
        ]);
    }

    #[test]
    fn ipv6_ranges_match_by_prefix() {
        check(&[
            ("2001:db8::/32", "2001:db8:ffff::1", true),
            ("2001:db8::/32", "2001:db9::1", false),
            (
                "2001:db8:1:2::/64",
                "2001:db8:1:2:ffff:ffff:ffff:ffff",
                true,
            ),
            ("2001:db8:1:2::/64", "2001:db8:1:3::", false),
            ("2001:db8::1", "2001:db8::1", true),
            ("2001:db8::1", "2001:db8::2", false),
            ("::/0", "2001:db8::1", true),
        ]);
    }

    #[test]
    fn families_never_cross_except_through_ipv4_mapping() {
        check(&[
            ("192.0.2.0/24", "2001:db8::1", false),
            ("2001:db8::/32", "192.0.2.1", false),
            ("::/0", "192.0.2.1", false),
            ("0.0.0.0/0", "2001:db8::1", false),
            // An IPv4 client seen as IPv4-mapped IPv6 is still that IPv4 client.
            ("192.0.2.0/24", "::ffff:192.0.2.9", true),
            ("192.0.2.0/24", "::ffff:192.0.3.9", false),
        ]);
    }

    #[test]
    fn malformed_ranges_are_refused() {
        type Expected = fn(String) -> RangeError;
        let cases: &[(&str, Expected)] = &[
            ("", RangeError::NotAnAddress),
            ("example.org", RangeError::NotAnAddress),
            ("192.0.2.0/", RangeError::NotAnAddress),
            ("192.0.2.0/+8", RangeError::NotAnAddress),
            ("192.0.2.0/-1", RangeError::NotAnAddress),
            ("192.0.2.0/24/8", RangeError::NotAnAddress),
            ("192.0.2/24", RangeError::NotAnAddress),
            ("192.0.2.0/33", RangeError::PrefixTooLong),
            ("192.0.2.0/300", RangeError::PrefixTooLong),
            ("2001:db8::/129", RangeError::PrefixTooLong),
            ("192.0.2.1/24", RangeError::HostBitsSet),
            ("2001:db8::1/64", RangeError::HostBitsSet),
        ];
        for (text, error) in cases {
            assert_eq!(
                text.parse::<IpRange>(),
                Err(error(text.to_string())),
                "{text:?}"
            );
        }
    }

    #[test]
    fn ranges_print_in_cidr_form() {
        assert_eq!(range("203.0.113.7").to_string(), "203.0.113.7/32");
        assert_eq!(range(" 2001:db8::/32 ").to_string(), "2001:db8::/32");
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        for (address, key) in [
            ("203.0.113.9", "203.0.113.9"),
            ("::ffff:203.0.113.9", "203.0.113.9"),
            ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
            ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
            ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ] {
            assert_eq!(client_key(ip(address)), key, "{address}");
        }
    }
}
