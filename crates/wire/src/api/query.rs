//! Query parameters, strictly: an unknown, repeated or malformed parameter is a [`RouteError`] naming it.
//!
//! Both ends of a hop parse with this code: a gateway parses the public query into a typed route, and the
//! object parses the private URL that [`QueryWriter`] wrote from it. A parameter is therefore refused
//! before anything is asked of an object, and the object can trust nothing it did not parse itself.

use std::collections::BTreeMap;
use std::str::FromStr;

use domain::{Discipline, Gender, LogicalDay, MedalFilter, MedalOrder, Sport};
use serde::de::DeserializeOwned;

use super::RouteError;

/// The query parameters of one request, taken one by one; [`Query::finish`] refuses any left over.
#[derive(Debug, Default)]
pub struct Query(BTreeMap<String, String>);

impl Query {
    /// Parses a query string (without the `?`), percent-decoding names and values.
    pub fn parse(query: &str) -> Result<Self, RouteError> {
        let mut params = BTreeMap::new();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            if params.insert(key.to_string(), value.to_string()).is_some() {
                return Err(RouteError::bad_parameter(
                    key,
                    "parameter given more than once",
                ));
            }
        }
        Ok(Query(params))
    }

    pub fn take(&mut self, name: &str) -> Option<String> {
        self.0.remove(name)
    }

    /// A number or other plain value; `expected` is the whole message when it does not parse.
    pub fn take_parsed<T: FromStr>(
        &mut self,
        name: &str,
        expected: &str,
    ) -> Result<Option<T>, RouteError> {
        self.0
            .remove(name)
            .map(|v| {
                v.parse::<T>()
                    .map_err(|_| RouteError::bad_parameter(name, expected))
            })
            .transpose()
    }

    /// A code type (`Noc`, `CompetitorId`, `UnitCode`…) whose own parse error says what is wrong.
    pub fn take_code<T>(&mut self, name: &str) -> Result<Option<T>, RouteError>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        self.0
            .remove(name)
            .map(|v| {
                v.parse::<T>()
                    .map_err(|e| RouteError::bad_parameter(name, e.to_string()))
            })
            .transpose()
    }

    /// A value spelled as the API spells it in JSON (`ALPINE_SKIING`, `ALP`, `W`).
    fn take_serde<T: DeserializeOwned>(
        &mut self,
        name: &str,
        expected: &str,
    ) -> Result<Option<T>, RouteError> {
        self.0
            .remove(name)
            .map(|v| {
                serde_json::from_value::<T>(serde_json::Value::String(v))
                    .map_err(|_| RouteError::bad_parameter(name, expected))
            })
            .transpose()
    }

    /// The filters shared by the events list and the medal tables.
    pub fn medal_filter(&mut self) -> Result<MedalFilter, RouteError> {
        Ok(MedalFilter {
            sport: self.take_serde::<Sport>(
                "sport",
                "sport must be one of BIATHLON, BOBSLEIGH, CURLING, ICE_HOCKEY, LUGE, SKATING, SKIING, SKI_MOUNTAINEERING",
            )?,
            discipline: self.take_serde::<Discipline>(
                "discipline",
                "discipline must be a three-letter code such as ALP or SSK",
            )?,
            gender: self.take_serde::<Gender>("gender", "gender must be M, W or X")?,
            day: self.take_code::<LogicalDay>("day")?,
            noc: self.take_code("noc")?,
        })
    }

    pub fn order(&mut self) -> Result<MedalOrder, RouteError> {
        match self.take("order").as_deref() {
            None | Some("gold") => Ok(MedalOrder::GoldFirst),
            Some("total") => Ok(MedalOrder::Total),
            Some(_) => Err(RouteError::bad_parameter(
                "order",
                "order must be gold or total",
            )),
        }
    }

    /// Refuses whatever was not taken.
    pub fn finish(self) -> Result<(), RouteError> {
        match self.0.into_keys().next() {
            Some(unknown) => Err(RouteError::bad_parameter(
                unknown,
                "unknown query parameter",
            )),
            None => Ok(()),
        }
    }
}

/// Writes a typed query back as text, in a fixed order, leaving out what is not set.
pub struct QueryWriter(form_urlencoded::Serializer<'static, String>);

impl QueryWriter {
    pub fn new() -> Self {
        Self(form_urlencoded::Serializer::new(String::new()))
    }

    pub fn put(mut self, name: &str, value: Option<impl ToString>) -> Self {
        if let Some(value) = value {
            self.0.append_pair(name, &value.to_string());
        }
        self
    }

    /// `path`, with `?query` when anything was put.
    pub fn after(mut self, path: String) -> String {
        let query = self.0.finish();
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    }
}

impl Default for QueryWriter {
    fn default() -> Self {
        Self::new()
    }
}
