//! The resume file: which Games is being played (seed, profile, fingerprint of its timeline), how far
//! the stack has acknowledged it, and the counters of every run so far. Written after every
//! acknowledged batch, atomically (a temporary file renamed over the old one).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::summary::Counters;

#[derive(Debug, Error)]
pub enum ProgressError {
    #[error("cannot read the progress file {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the progress file {path} is not one this simulator wrote ({reason}); delete it to start a new Games"
    )]
    Parse { path: String, reason: String },
    #[error("cannot write the progress file {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// How far a Games has been played.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub seed: u64,
    pub profile: String,
    pub fingerprint: String,
    /// The index of the first timeline message the stack has not acknowledged.
    pub next: usize,
    pub total: usize,
    /// The simulated time (UTC ms) of the last acknowledged message.
    pub sim_ms: u64,
    pub counters: Counters,
}

pub fn load(path: &Path) -> Result<Option<Progress>, ProgressError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ProgressError::Read {
                path: path.display().to_string(),
                source,
            });
        }
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|error| ProgressError::Parse {
            path: path.display().to_string(),
            reason: error.to_string(),
        })
}

pub fn save(path: &Path, progress: &Progress) -> Result<(), ProgressError> {
    let write_error = |source| ProgressError::Write {
        path: path.display().to_string(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(write_error)?;
    }
    let text = serde_json::to_string_pretty(progress).map_err(|error| ProgressError::Parse {
        path: path.display().to_string(),
        reason: error.to_string(),
    })?;
    let temporary = temporary_path(path);
    std::fs::write(&temporary, text).map_err(write_error)?;
    std::fs::rename(&temporary, path).map_err(write_error)
}

fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".tmp");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips_and_a_missing_file_is_a_new_games() {
        let dir = std::env::temp_dir().join(format!("olympic-sim-progress-{}", std::process::id()));
        let path = dir.join("state").join("sim-progress.json");
        assert!(matches!(load(&path), Ok(None)));
        let progress = Progress {
            seed: 7,
            profile: "short".into(),
            fingerprint: "abc".into(),
            next: 42,
            total: 100,
            sim_ms: 1_770_000_000_000,
            counters: Counters {
                sent: 42,
                applied: 40,
                duplicate: 2,
                ..Counters::default()
            },
        };
        assert!(save(&path, &progress).is_ok());
        assert_eq!(load(&path).ok().flatten(), Some(progress));
        assert!(std::fs::write(&path, "not json").is_ok());
        assert!(matches!(load(&path), Err(ProgressError::Parse { .. })));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
