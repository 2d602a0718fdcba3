# Shared environment for every script: where the tools are and how to keep them offline and quiet.
# Sourced, not executed.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ROOT
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

# worker-build downloads wasm-bindgen, wasm-opt and esbuild from GitHub unless told where they are;
# these machines reach package registries only, so point it at what bootstrap installed.
export WASM_BINDGEN_BIN="$HOME/.cargo/bin/wasm-bindgen"
export WASM_OPT_BIN="$ROOT/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$ROOT/node_modules/.bin/esbuild"

# wrangler phones home at start; nothing here needs it to.
export WRANGLER_SEND_METRICS=false
export CLOUDFLARE_CF_FETCH_ENABLED=false
export WRANGLER_HIDE_BANNER=true
export NO_UPDATE_NOTIFIER=1

# Versions pinned here and checked by bootstrap; WASM_BINDGEN_VERSION must equal Cargo.lock's.
WORKER_BUILD_VERSION="0.8.7"
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
export WORKER_BUILD_VERSION WASM_BINDGEN_VERSION

# The five Workers, in the order they are built and listed.
WORKERS=(event-do read-gateway ingest-gateway archiver-consumer analytics-consumer)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
