//! ODF values as text: times (`1:52.33`, `38:14.4`, `1:02:03.456`), integers and decimal numbers, each
//! parsed with the path of the attribute it came from.

use crate::error::OdfError;

/// A time `[[h:]m:]s[.fraction]` in milliseconds; digits past the thousandth are cut.
pub fn time_ms(text: &str, path: &str) -> Result<u64, OdfError> {
    let bad = || OdfError::invalid(path, format!("{text:?} is not a time such as 1:52.33"));
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let mut parts = whole.split(':').rev();
    let seconds: u64 = number(parts.next(), false).ok_or_else(bad)?;
    let minutes: u64 = number(parts.next(), true).ok_or_else(bad)?;
    let hours: u64 = number(parts.next(), true).ok_or_else(bad)?;
    // Only the leading part may exceed its range (95.12 seconds is a 500 m time as ODF writes it).
    if parts.next().is_some()
        || (whole.contains(':') && seconds > 59)
        || (hours > 0 && minutes > 59)
    {
        return Err(bad());
    }
    let millis: u64 = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0, |acc, digit| acc * 10 + u64::from(digit - b'0'));
    Ok(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis)
}

/// A part of a time: 1 to 4 digits; `Some(0)` when absent and `optional`.
fn number(part: Option<&str>, optional: bool) -> Option<u64> {
    match part {
        None if optional => Some(0),
        Some(digits)
            if !digits.is_empty()
                && digits.len() <= 4
                && digits.bytes().all(|b| b.is_ascii_digit()) =>
        {
            digits.parse::<u64>().ok()
        }
        _ => None,
    }
}

/// A whole number.
pub fn integer<T: std::str::FromStr>(text: &str, path: &str) -> Result<T, OdfError> {
    text.trim()
        .parse::<T>()
        .map_err(|_| OdfError::invalid(path, format!("{text:?} is not a whole number")))
}

/// A decimal number (points, centimetres).
pub fn decimal(text: &str, path: &str) -> Result<f64, OdfError> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|value| value.is_finite())
        .ok_or_else(|| OdfError::invalid(path, format!("{text:?} is not a number")))
}

/// A value that must be present.
pub fn required<'a>(value: Option<&'a String>, path: &str) -> Result<&'a str, OdfError> {
    value
        .map(String::as_str)
        .filter(|text| !text.trim().is_empty())
        .ok_or_else(|| OdfError::invalid(path, "is required"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_the_federations_write_them() {
        let cases = [
            ("1:52.33", Some(112_330)),
            ("38:14.4", Some(2_294_400)),
            ("42.569", Some(42_569)),
            ("1:02:03.4567", Some(3_723_456)),
            ("95.12", Some(95_120)),
            ("1:75.00", None),
            ("1.2.3", None),
            ("", None),
            ("DNF", None),
        ];
        for (text, expected) in cases {
            assert_eq!(time_ms(text, "p").ok(), expected, "{text}");
        }
    }
}
