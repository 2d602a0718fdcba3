//! Formatting of times and points to a sport's published precision ("1:43.21", "128.5").

use crate::format::TimePrecision;

/// Formats milliseconds as `h:mm:ss.ff`, `m:ss.ff` or `ss.ff`, with the precision's decimals.
pub fn format_time(ms: u64, precision: TimePrecision) -> String {
    let mut out = String::with_capacity(12);
    push_time(&mut out, ms, precision);
    out
}

/// Formats a gap to the leader as `+0.45` or `+1:02.30`.
pub fn format_gap(ms: u64, precision: TimePrecision) -> String {
    let mut out = String::with_capacity(12);
    out.push('+');
    push_time(&mut out, ms, precision);
    out
}

/// Appends what [`format_time`] returns, digit by digit (no `format!`: leaderboards format many times).
fn push_time(out: &mut String, ms: u64, precision: TimePrecision) {
    let fraction_ms = ms % 1000;
    let total_seconds = ms / 1000;
    let (hours, minutes, seconds) = (
        total_seconds / 3600,
        (total_seconds / 60) % 60,
        total_seconds % 60,
    );
    if hours > 0 {
        push_number(out, hours, 1);
        out.push(':');
        push_number(out, minutes, 2);
        out.push(':');
        push_number(out, seconds, 2);
    } else if minutes > 0 {
        push_number(out, minutes, 1);
        out.push(':');
        push_number(out, seconds, 2);
    } else {
        push_number(out, seconds, 1);
    }
    match precision.decimals() {
        0 => {}
        1 => {
            out.push('.');
            push_number(out, fraction_ms / 100, 1);
        }
        2 => {
            out.push('.');
            push_number(out, fraction_ms / 10, 2);
        }
        _ => {
            out.push('.');
            push_number(out, fraction_ms, 3);
        }
    }
}

/// Appends `value` in decimal, zero-padded to at least `width` digits (as `{value:0width$}`).
fn push_number(out: &mut String, mut value: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    while len < digits.len() {
        if let Some(slot) = digits.get_mut(len) {
            *slot = b'0' + (value % 10) as u8;
        }
        len += 1;
        value /= 10;
        if value == 0 && len >= width {
            break;
        }
    }
    for &digit in digits.iter().take(len).rev() {
        out.push(char::from(digit));
    }
}

/// Formats thousandths of a point with `decimals` decimals (the value is already rounded).
pub fn format_points(milli: i64, decimals: u8) -> String {
    let sign = if milli < 0 { "-" } else { "" };
    let magnitude = milli.unsigned_abs();
    let whole = magnitude / 1000;
    let fraction = magnitude % 1000;
    match decimals {
        0 => format!("{sign}{whole}"),
        1 => format!("{sign}{whole}.{}", fraction / 100),
        2 => format!("{sign}{whole}.{:02}", fraction / 10),
        _ => format!("{sign}{whole}.{fraction:03}"),
    }
}

/// Rounds thousandths of a point half away from zero to `decimals` decimals, still in thousandths.
pub fn round_points(milli: i64, decimals: u8) -> i64 {
    let step: i64 = match decimals {
        0 => 1000,
        1 => 100,
        2 => 10,
        _ => 1,
    };
    let half = step / 2;
    if milli >= 0 {
        milli.saturating_add(half) / step * step
    } else {
        -(milli.saturating_neg().saturating_add(half) / step * step)
    }
}

/// Converts a validated, finite float of points to thousandths (nearest).
pub fn to_milli(points: f64) -> i64 {
    // `as` saturates on out-of-range floats; inputs are range-checked before this anyway.
    (points * 1000.0).round() as i64
}
