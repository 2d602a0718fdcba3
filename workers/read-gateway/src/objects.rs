//! Reads of the objects that hold the data: an event object for its event, the standings object for the
//! Games-wide views. Their answers (with the `Cache-Control` and `ETag` they chose) are handed on as they
//! are; the edge cache in front ([`crate::cache`]) keeps them.

use edge::Problem;
use wire::api::{Call, Relayed};
use worker::{Env, Response};

use crate::bindings;

pub async fn read(env: &Env, call: Call<Relayed>) -> Result<Response, Problem> {
    bindings::objects(env)
        .relay(call)
        .await
        .map_err(|err| err.into_problem("the data could not be reached; retry shortly"))
}
