#!/usr/bin/env bash
# Load check of `blindfold listen` on loopback (examples/listen_load.rs): EVENTS signed events
# from CONNECTIONS connections, plus retries, against a mock GraphQL API. Prints events/s
# accepted, processing time and peak memory; fails if an event is lost or processed twice.
# usage: scripts/load-listen.sh [EVENTS] [CONNECTIONS]   (defaults 2000, 32)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --example listen_load --bin blindfold
timeout 900 target/release/examples/listen_load target/release/blindfold "${1:-2000}" "${2:-32}"
