//! The schedule in the caller's time zone, with venue time beside it. Times are formatted with the
//! runtime's own `Intl` (full ICU time zone data), so no time zone database ships in the Worker.

use edge::OrInternal;
use edge::Problem;
use js_sys::{Array, Date, Intl, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wire::api::StandingsRoute;
use wire::api::standings::ScheduleAnswer;
use worker::{Env, Response};

/// `GET /v1/schedule?day=YYYY-MM-DD&tz=Area/City`: the units of the day (all days without `day`), each with
/// its start in UTC, in `tz` (default UTC) and at the venue.
pub async fn schedule(env: &Env, query: &str) -> Result<Response, Problem> {
    let mut params = wire::api::Query::parse(query)?;
    let tz = params.take("tz").unwrap_or_else(|| "UTC".to_string());
    let day = params.take("day");
    params.finish()?;
    let viewer = formatter(&tz).ok_or_else(|| {
        Problem::bad_request(
            "tz",
            format!("{tz:?} is not an IANA time zone such as Europe/Rome or America/New_York"),
        )
    })?;
    let day_code = day
        .as_deref()
        .map(|value| {
            value
                .parse::<domain::LogicalDay>()
                .map_err(|e| Problem::bad_request("day", format!("{e}")))
        })
        .transpose()?;
    let call = StandingsRoute::Schedule { day: day_code }.relayed();
    let mut upstream = crate::objects::read(env, call, None).await?;
    if upstream.status_code() != 200 {
        return Ok(upstream);
    }
    let cache_control = upstream.headers().get("cache-control").ok().flatten();
    let etag = upstream.headers().get("etag").ok().flatten();
    let body: ScheduleAnswer = upstream
        .json()
        .await
        .or_internal("read the standings' schedule")?;
    let units: Vec<serde_json::Value> = body
        .units
        .into_iter()
        .map(|mut unit| {
            let start = unit.get("start_utc_ms").and_then(serde_json::Value::as_f64);
            let venue_tz = unit
                .get("venue")
                .and_then(|v| v.get("timezone"))
                .and_then(serde_json::Value::as_str)
                .map(str::to_string);
            if let Some(ms) = start {
                unit.insert(
                    "start_utc".into(),
                    Date::new(&JsValue::from_f64(ms))
                        .to_iso_string()
                        .as_string()
                        .into(),
                );
                unit.insert("start_local".into(), format(&viewer, ms).into());
                if let Some(venue_formatter) = venue_tz.as_deref().and_then(formatter) {
                    unit.insert("start_venue".into(), format(&venue_formatter, ms).into());
                }
            }
            serde_json::Value::Object(unit)
        })
        .collect();
    let mut response = edge::respond::json(
        &serde_json::json!({ "tz": tz, "day": day, "units": units }),
        200,
    )?;
    let headers: worker::Headers = response.headers().entries().collect();
    for (name, value) in [
        ("cache-control", cache_control),
        ("etag", etag.map(|e| e.replace("\"v", &format!("\"{tz}-v")))),
    ] {
        if let Some(value) = value {
            headers.set(name, &value).or_internal("set a header")?;
        }
    }
    response = response.with_headers(headers);
    Ok(response)
}

/// `YYYY-MM-DD HH:MM` in `tz`, or None when the runtime does not know the zone.
fn formatter(tz: &str) -> Option<Intl::DateTimeFormat> {
    if tz.is_empty() || tz.len() > 64 {
        return None;
    }
    let options = Object::new();
    for (key, value) in [
        ("timeZone", tz),
        ("year", "numeric"),
        ("month", "2-digit"),
        ("day", "2-digit"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("hourCycle", "h23"),
    ] {
        Reflect::set(&options, &key.into(), &value.into()).ok()?;
    }
    // Construction throws a RangeError for an unknown zone: that is the validation. Reflect.construct
    // turns the throw into an Err instead of a trap.
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let constructor: js_sys::Function = Reflect::get(&intl, &"DateTimeFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let arguments = Array::of2(&Array::of1(&"en-CA".into()), &options);
    let format: Intl::DateTimeFormat = Reflect::construct(&constructor, &arguments)
        .ok()?
        .unchecked_into();
    let resolved = format.resolved_options();
    Reflect::get(&resolved, &"timeZone".into())
        .ok()?
        .as_string()?;
    Some(format)
}

fn format(formatter: &Intl::DateTimeFormat, ms: f64) -> String {
    let text = formatter
        .format()
        .call1(&JsValue::UNDEFINED, &Date::new(&JsValue::from_f64(ms)))
        .ok()
        .and_then(|v| v.as_string());
    // en-CA gives "2026-02-07, 11:30".
    text.unwrap_or_default().replace(',', "")
}
