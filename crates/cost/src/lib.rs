//! The bill for the Games, from list prices and measured counts.
//!
//! Inputs: the price list (`pricing.toml`: each price with its source and the date it was read), the
//! traffic profile (`profile.toml`: the seed's load and every assumption beyond it) and the ratios the load
//! generator measured on the local stack (`measured.json`: operations per read, per update, per viewer).
//! Output: the peak and half-load bills of each read design, line by line, a sensitivity table, and
//! `docs/COSTS.md` (`scripts/cost`).
//!
//! - [`pricing`]: the price list and the dates prices are in force.
//! - [`profile`]: the traffic profile and the modelled ratios.
//! - [`ratios`]: operations per unit of work, measured or modelled, field by field.
//! - [`model`]: one design's bill at one load.
//! - [`sensitivity`]: the totals as one assumption moves.
//! - [`doc`]: `docs/COSTS.md` and the JSON output.

pub mod doc;
pub mod model;
pub mod pricing;
pub mod profile;
pub mod ratios;
pub mod sensitivity;

/// The inputs as the repository holds them, so tests and the tool read the same files.
pub const PRICING_TOML: &str = include_str!("../pricing.toml");
pub const PROFILE_TOML: &str = include_str!("../profile.toml");
pub const MEASURED_JSON: &str = include_str!("../measured.json");

#[derive(Debug, thiserror::Error)]
pub enum CostError {
    #[error("cannot read the {0}: {1}")]
    Parse(&'static str, String),
    #[error("no price {0:?} in force on {1}")]
    MissingPrice(String, String),
}
