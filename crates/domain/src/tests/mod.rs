//! Scenario tests through the public API, one file per rule; `support` holds the builders and `check` helpers.
//!
//! Every test runs natively (`cargo test -p domain`) and under wasm
//! (`cargo test --target wasm32-unknown-unknown -p domain`, in Node).

mod catalog;
mod classification;
mod corrections;
mod fast_paths;
mod formats;
mod games;
mod leaderboard;
mod live_patch;
mod medal_table;
mod precision;
mod properties;
mod ranking;
mod roundtrip;
mod support;
mod validation;
