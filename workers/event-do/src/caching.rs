//! Query parameters of the objects' read routes, parsed strictly: an unknown or malformed parameter is a
//! 400 naming it. Also the caching headers both objects put on their reads.

use std::collections::BTreeMap;

use domain::{Discipline, Gender, LogicalDay, MedalFilter, MedalOrder, Sport};
use edge::Problem;
use serde::de::DeserializeOwned;
use worker::{Request, Response};

/// The query parameters of a request, taken one by one; [`Params::finish`] rejects any left over.
pub struct Params(BTreeMap<String, String>);

impl Params {
    pub fn of(req: &Request) -> Result<Self, Problem> {
        let url = req.url().map_err(|_| Problem::internal())?;
        let mut params = BTreeMap::new();
        for (key, value) in url.query_pairs() {
            if params.insert(key.to_string(), value.to_string()).is_some() {
                return Err(Problem::bad_request(
                    key.to_string(),
                    "parameter given more than once",
                ));
            }
        }
        Ok(Params(params))
    }

    pub fn take(&mut self, name: &str) -> Result<Option<String>, Problem> {
        Ok(self.0.remove(name))
    }

    pub fn take_parsed<T: std::str::FromStr>(
        &mut self,
        name: &str,
        expected: &str,
    ) -> Result<Option<T>, Problem> {
        self.0
            .remove(name)
            .map(|v| {
                v.parse::<T>()
                    .map_err(|_| Problem::bad_request(name.to_string(), expected.to_string()))
            })
            .transpose()
    }

    /// A code type (Noc, CompetitorId, UnitCode…) whose parse error explains what is wrong.
    pub fn take_code<T>(&mut self, name: &str) -> Result<Option<T>, Problem>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        self.0
            .remove(name)
            .map(|v| {
                v.parse::<T>()
                    .map_err(|e| Problem::bad_request(name.to_string(), e.to_string()))
            })
            .transpose()
    }

    /// A value spelled as the API spells it in JSON (`ALPINE_SKIING`, `ALP`, `W`).
    fn take_serde<T: DeserializeOwned>(
        &mut self,
        name: &str,
        expected: &str,
    ) -> Result<Option<T>, Problem> {
        self.0
            .remove(name)
            .map(|v| {
                serde_json::from_value::<T>(serde_json::Value::String(v))
                    .map_err(|_| Problem::bad_request(name.to_string(), expected.to_string()))
            })
            .transpose()
    }

    /// The filters shared by the events list and the medal tables.
    pub fn medal_filter(&mut self) -> Result<MedalFilter, Problem> {
        Ok(MedalFilter {
            sport: self.take_serde::<Sport>("sport", "sport must be one of BIATHLON, BOBSLEIGH, CURLING, ICE_HOCKEY, LUGE, SKATING, SKIING, SKI_MOUNTAINEERING")?,
            discipline: self.take_serde::<Discipline>("discipline", "discipline must be a three-letter code such as ALP or SSK")?,
            gender: self.take_serde::<Gender>("gender", "gender must be M, W or X")?,
            day: self.take_code::<LogicalDay>("day")?,
            noc: self.take_code("noc")?,
        })
    }

    pub fn order(&mut self) -> Result<MedalOrder, Problem> {
        match self.take("order")?.as_deref() {
            None | Some("gold") => Ok(MedalOrder::GoldFirst),
            Some("total") => Ok(MedalOrder::Total),
            Some(_) => Err(Problem::bad_request("order", "order must be gold or total")),
        }
    }

    pub fn finish(self) -> Result<(), Problem> {
        match self.0.into_keys().next() {
            Some(unknown) => Err(Problem::bad_request(unknown, "unknown query parameter")),
            None => Ok(()),
        }
    }
}

/// Sets `Cache-Control` (shared caches may keep it `max_age` seconds, and serve it stale a while longer
/// while they refresh) and a strong `ETag` from the version of the data behind the answer: under one
/// URL, one version always renders the same bytes.
pub fn cacheable(response: Response, version: u64, max_age: u32) -> Result<Response, Problem> {
    let headers: worker::Headers = response.headers().entries().collect();
    headers
        .set(
            "cache-control",
            &format!(
                "public, max-age={max_age}, stale-while-revalidate={}",
                max_age.saturating_mul(2).max(2)
            ),
        )
        .and_then(|_| headers.set("etag", &format!("\"v{version}\"")))
        .map_err(|_| Problem::internal())?;
    Ok(response.with_headers(headers))
}
