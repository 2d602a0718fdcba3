//! The wasm build of the domain benchmarks: exports `run(plan_json)` to JavaScript, which returns the
//! report as JSON. Timed with `performance.now()`. Native builds of this example are empty.

#[cfg(target_arch = "wasm32")]
mod exports {
    use bench::cases::{Plan, run as run_cases};
    use bench::stats::Clock;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// The high-resolution clock of the host (Node, a browser, workerd), in milliseconds.
        #[wasm_bindgen(js_namespace = performance, js_name = now)]
        fn performance_now() -> f64;
    }

    struct JsClock;

    impl Clock for JsClock {
        fn now_ns(&self) -> f64 {
            performance_now() * 1e6
        }
    }

    /// Runs the plan (JSON of `bench::cases::Plan`) and returns the report as JSON.
    #[wasm_bindgen]
    pub fn run(plan_json: &str) -> Result<String, JsError> {
        let plan: Plan =
            serde_json::from_str(plan_json).map_err(|e| JsError::new(&e.to_string()))?;
        let report = run_cases("wasm", &JsClock, &plan).map_err(|e| JsError::new(&e))?;
        serde_json::to_string(&report).map_err(|e| JsError::new(&e.to_string()))
    }
}
