//! The traffic profile (`profile.toml`): the seed's load (reads a day, updates a second, busy hours,
//! days), what the model assumes beyond it (hot share, cache hit ratios, live viewers, hot documents, log
//! sampling), and the modelled ratios used where the load generator measured nothing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::CostError;
use crate::ratios::Ops;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub days: f64,
    /// Hours a day during which feeds send updates and viewers watch live.
    pub busy_hours_per_day: f64,
    /// The date the bill is computed for (YYYY-MM-DD): picks the prices in force.
    pub billing_date: String,
    /// `peak` and `half`, in that order.
    pub load: BTreeMap<String, Load>,
    pub reads: Reads,
    pub objects: Objects,
    pub viewers: Viewers,
    pub hot_documents: HotDocuments,
    pub logs: Logs,
    pub access: Access,
    /// Ratios used where no measurement exists.
    pub modelled: Modelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Load {
    pub reads_per_day: f64,
    pub updates_per_s: f64,
    /// Live viewers connected at once during the busy hours.
    pub viewers: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reads {
    /// The share of reads that are hot documents (an event's summary and first leaderboard page, the
    /// medal table, the events list, the day's schedule): the load generator's read mix.
    pub hot_share: f64,
    /// Design (b): hot documents served by the CDN without going to R2.
    pub cdn_hit_ratio: f64,
    /// Reads through a Worker answered from its caches without asking an object. 0 is the upper bound.
    pub edge_hit_ratio: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objects {
    /// Event objects and the standings object.
    pub count: f64,
    /// Event objects receiving updates at the same time during the busy hours.
    pub live_concurrent: f64,
    /// Bytes each update adds to an object's SQLite storage (its `applied` log row).
    pub bytes_per_update: f64,
    /// Memory an object is billed at, in GB.
    pub billed_gb: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Viewers {
    pub session_minutes: f64,
    /// `ping`s a viewer sends a minute (each an incoming WebSocket message, billed 20:1).
    pub pings_per_minute: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HotDocuments {
    /// Documents an event object rewrites when its event changes (summary, first leaderboard page).
    pub keys_per_update: f64,
    /// The share of updates that change a status or medals, so the standings rewrite theirs.
    pub digest_share: f64,
    /// Documents the standings object rewrites then (medal table, events list, day's schedule).
    pub standings_keys: f64,
    /// R2 accepts one write a second per key: writes to one key are coalesced to this rate.
    pub max_writes_per_key_per_s: f64,
    /// Time an object spends publishing one document, in ms (its duration).
    pub publish_ms: f64,
    /// KV writes per document written: each document also goes to KV as the fallback the read gateway
    /// answers from while its object fails.
    pub kv_snapshots_per_document: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Logs {
    /// Days Workers Logs keeps events (for the storage line).
    pub retention_days: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Access {
    /// People who sign in through Access (feeds use service tokens, which are not seats).
    pub operators: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Modelled {
    pub read_miss: Ops,
    pub read_hit: Ops,
    pub update: Ops,
    pub viewer: Ops,
}

impl Profile {
    pub fn parse(text: &str) -> Result<Self, CostError> {
        let profile: Self =
            toml::from_str(text).map_err(|e| CostError::Parse("profile", e.to_string()))?;
        for name in ["peak", "half"] {
            if !profile.load.contains_key(name) {
                return Err(CostError::Parse(
                    "profile",
                    format!("[load.{name}] is missing"),
                ));
            }
        }
        Ok(profile)
    }

    /// Seconds of busy hours over the Games.
    pub fn busy_seconds(&self) -> f64 {
        self.days * self.busy_hours_per_day * 3600.0
    }
}
