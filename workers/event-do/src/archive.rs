//! Reading an event's archive back (the R2 bucket the archiver writes: one object per applied change,
//! its body the applied message, its metadata the rest of the change record), for a rebuild.

use object_logic::replay::ArchivedChange;
use worker::{Env, Include};

use crate::bindings;

/// Every archived change of `event`, in key order (which is event-version order).
pub async fn changes(env: &Env, event: &str) -> Result<Vec<ArchivedChange>, String> {
    let bucket = env
        .bucket(bindings::ARCHIVE)
        .map_err(|e| format!("archive bucket: {e}"))?;
    let prefix = format!("events/{event}/changes/");
    let mut keys = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut list = bucket
            .list()
            .prefix(prefix.clone())
            .include(vec![Include::CustomMetadata]);
        if let Some(cursor) = cursor.take() {
            list = list.cursor(cursor);
        }
        let page = list
            .execute()
            .await
            .map_err(|e| format!("list {prefix}: {e}"))?;
        for object in page.objects() {
            let metadata = object
                .custom_metadata()
                .map_err(|e| format!("{}: {e}", object.key()))?;
            keys.push((object.key(), metadata));
        }
        match page.cursor().filter(|_| page.truncated()) {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let mut changes = Vec::with_capacity(keys.len());
    for (key, metadata) in keys {
        let field = |name: &str| {
            metadata
                .get(name)
                .cloned()
                .ok_or_else(|| format!("{key}: no {name} in its metadata"))
        };
        let (_, event_version) = wire::ChangeRecord::parse_archive_key(&key)
            .ok_or_else(|| format!("{key}: not an archive key"))?;
        let kind = wire::ChangeKind::parse(&field("kind")?)
            .ok_or_else(|| format!("{key}: unknown kind"))?;
        let body = bucket
            .get(&key)
            .execute()
            .await
            .map_err(|e| format!("get {key}: {e}"))?
            .ok_or_else(|| format!("{key}: listed but gone"))?
            .body()
            .ok_or_else(|| format!("{key}: no body"))?
            .text()
            .await
            .map_err(|e| format!("read {key}: {e}"))?;
        changes.push(ArchivedChange {
            event_version,
            kind,
            message_id: field("message_id")?,
            feed: field("feed")?,
            received_at_ms: field("received_at_ms")?
                .parse()
                .map_err(|_| format!("{key}: bad received_at_ms"))?,
            body_json: body,
        });
    }
    Ok(changes)
}

/// The events the archive holds changes of.
pub async fn events(env: &Env) -> Result<Vec<String>, String> {
    let bucket = env
        .bucket(bindings::ARCHIVE)
        .map_err(|e| format!("archive bucket: {e}"))?;
    let mut events = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut list = bucket.list().prefix("events/").delimiter("/");
        if let Some(cursor) = cursor.take() {
            list = list.cursor(cursor);
        }
        let page = list
            .execute()
            .await
            .map_err(|e| format!("list events/: {e}"))?;
        events.extend(page.delimited_prefixes().into_iter().filter_map(|prefix| {
            prefix
                .strip_prefix("events/")
                .and_then(|rest| rest.strip_suffix('/'))
                .map(str::to_owned)
        }));
        match page.cursor().filter(|_| page.truncated()) {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok(events)
}
