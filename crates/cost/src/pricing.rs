//! The price list (`pricing.toml`): what each product costs, its monthly allowance, where the price comes
//! from and when it was read, and the dates it is in force (Workers Logs change from per-event to per-GB
//! pricing on 2026-12-01).

use serde::{Deserialize, Serialize};

use crate::CostError;

/// One list price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub id: String,
    pub product: String,
    /// What is counted: `request`, `GB-s`, `GB-month`…
    pub unit: String,
    /// The price is for this many units (1,000,000 for "per million").
    pub per: f64,
    /// US dollars per `per` units.
    pub price: f64,
    /// The monthly allowance, in units.
    pub included: f64,
    #[serde(default)]
    pub note: Option<String>,
    pub source: String,
    /// When the price was read (YYYY-MM or YYYY-MM-DD).
    pub read: String,
    /// In force from this date (YYYY-MM-DD), inclusive.
    #[serde(default)]
    pub from: Option<String>,
    /// In force until this date (YYYY-MM-DD), exclusive.
    #[serde(default)]
    pub until: Option<String>,
}

impl Price {
    /// Units billed after the allowance.
    pub fn billable(&self, quantity: f64) -> f64 {
        (quantity - self.included).max(0.0)
    }

    /// Dollars for `quantity` units in one billing month: (quantity − allowance) × price ÷ per.
    pub fn charge(&self, quantity: f64) -> f64 {
        self.billable(quantity) * self.price / self.per
    }

    /// Whether the price is in force on `date` (ISO dates compare as text).
    pub fn in_force(&self, date: &str) -> bool {
        self.from.as_deref().is_none_or(|from| date >= from)
            && self.until.as_deref().is_none_or(|until| date < until)
    }

    /// `$0.30 / M requests`, `$12.50 / M GB-s`, `$0.015 / GB-month`.
    pub fn rate_text(&self) -> String {
        let per = if self.per == 1_000_000.0 {
            "M ".to_owned()
        } else if self.per == 1.0 {
            String::new()
        } else {
            format!("{} ", self.per)
        };
        format!(
            "${} / {per}{}",
            trim_price(self.price),
            plural(&self.unit, self.per)
        )
    }
}

fn trim_price(price: f64) -> String {
    let text = format!("{price:.3}");
    let text = text.trim_end_matches('0');
    match text.split_once('.') {
        Some((_, cents)) if cents.len() < 2 => format!("{price:.2}"),
        _ => text.to_owned(),
    }
}

fn plural(unit: &str, per: f64) -> String {
    if per > 1.0 && !unit.ends_with('s') && !unit.contains('-') {
        format!("{unit}s")
    } else {
        unit.to_owned()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PriceFile {
    price: Vec<Price>,
}

/// The whole list, looked up by id and billing date.
#[derive(Debug, Clone)]
pub struct PriceList {
    prices: Vec<Price>,
}

impl PriceList {
    pub fn parse(text: &str) -> Result<Self, CostError> {
        let file: PriceFile =
            toml::from_str(text).map_err(|e| CostError::Parse("pricing", e.to_string()))?;
        Ok(Self { prices: file.price })
    }

    /// The price `id` in force on `date`, if there is one (Workers Logs per event end on 2026-12-01).
    pub fn get(&self, id: &str, date: &str) -> Option<&Price> {
        self.prices.iter().find(|p| p.id == id && p.in_force(date))
    }

    /// Like [`PriceList::get`], for a price the model cannot do without.
    pub fn require(&self, id: &str, date: &str) -> Result<&Price, CostError> {
        self.get(id, date)
            .ok_or_else(|| CostError::MissingPrice(id.to_owned(), date.to_owned()))
    }

    pub fn all(&self) -> &[Price] {
        &self.prices
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requests() -> Price {
        Price {
            id: "worker_requests".into(),
            product: "Worker requests".into(),
            unit: "request".into(),
            per: 1e6,
            price: 0.30,
            included: 10e6,
            note: None,
            source: "s".into(),
            read: "2026-11".into(),
            from: None,
            until: Some("2026-12-01".into()),
        }
    }

    #[test]
    fn charge_subtracts_the_allowance_then_prices_per_unit() {
        let price = requests();
        assert_eq!(price.charge(5e6), 0.0);
        assert!((price.charge(6.136157e9) - 1837.8471).abs() < 1e-6);
        assert_eq!(price.rate_text(), "$0.30 / M requests");
    }

    #[test]
    fn dates_pick_the_price_in_force() {
        let price = requests();
        assert!(price.in_force("2026-11-30"));
        assert!(!price.in_force("2026-12-01"));
    }
}
