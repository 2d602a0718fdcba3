//! What the ingest path answers for each message: applied, or a no-op and why.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The message changed the event; `event_version` is the new version.
    Applied,
    /// The same version of this unit was already applied: nothing changed.
    Duplicate,
    /// A newer version of this unit is already applied: nothing changed.
    Stale,
}

impl Outcome {
    /// As the receipt spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Duplicate => "duplicate",
            Self::Stale => "stale",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub event: String,
    pub message_id: String,
    pub outcome: Outcome,
    /// The event's version after this message (unchanged for a no-op).
    pub event_version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The unit's version now in effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_version: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn receipt_json_is_the_documented_shape() {
        let receipt = Receipt {
            event: "ALPMDOWNHILL".into(),
            message_id: "m1".into(),
            outcome: Outcome::Stale,
            event_version: 4,
            unit: Some("FNL".into()),
            unit_version: Some(3),
        };
        let json = serde_json::to_value(&receipt).unwrap_or_default();
        assert_eq!(json["outcome"], "stale");
        assert_eq!(json["outcome"], receipt.outcome.as_str());
        assert_eq!(json["unit_version"], 3);
        let back: Receipt = serde_json::from_value(json).unwrap_or_else(|_| receipt.clone());
        assert_eq!(back, receipt);
    }
}
