//! Writing hot documents (`wire::docs`): each to the public bucket, which the CDN serves with no Worker
//! in front, with the `Cache-Control` the read API would give the same answer; and to KV, from which the
//! read gateway answers while the object that owns it fails. What to publish, where and when (the bucket
//! at most once a second, an event's snapshots every ten: `object_logic::coalesce::plan`) is the owning
//! object's decision; this module only writes.

use futures_util::future::join_all;
use serde::Serialize;
use wire::docs::Document;
use worker::{Env, HttpMetadata};

use crate::bindings;

/// What a KV snapshot carries beside its body.
#[derive(Serialize)]
struct SnapshotMeta<'a> {
    version: u64,
    cache_control: &'a str,
}

/// Which stores a publication writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stores {
    pub bucket: bool,
    pub snapshots: bool,
}

impl Stores {
    pub const BOTH: Stores = Stores {
        bucket: true,
        snapshots: true,
    };
}

/// Writes every document to the chosen stores, all at once. An error names the first that failed.
pub async fn write(env: &Env, documents: &[Document], stores: Stores) -> Result<(), String> {
    let bucket = env
        .bucket(bindings::PUBLIC_DOCS)
        .map_err(|e| format!("public bucket: {e}"))?;
    let snapshots = env
        .kv(bindings::SNAPSHOTS)
        .map_err(|e| format!("snapshots namespace: {e}"))?;
    let writes = documents.iter().map(|document| {
        let bucket = &bucket;
        let snapshots = &snapshots;
        async move {
            let key = document.doc.key();
            if stores.bucket {
                bucket
                    .put(&key, document.body.clone().into_bytes())
                    .http_metadata(HttpMetadata {
                        content_type: Some("application/json; charset=utf-8".into()),
                        cache_control: Some(document.cache_control.clone()),
                        ..HttpMetadata::default()
                    })
                    .custom_metadata([("etag".to_string(), format!("\"v{}\"", document.version))])
                    .execute()
                    .await
                    .map_err(|e| format!("put {key} in the public bucket: {e}"))?;
            }
            if !stores.snapshots {
                return Ok(());
            }
            snapshots
                .put(&key, document.body.as_str())
                .and_then(|put| {
                    put.metadata(SnapshotMeta {
                        version: document.version,
                        cache_control: &document.cache_control,
                    })
                })
                .map_err(|e| format!("snapshot {key}: {e}"))?
                .execute()
                .await
                .map_err(|e| format!("snapshot {key}: {e}"))
        }
    });
    join_all(writes).await.into_iter().collect()
}
