#!/bin/sh
# `npm start`: the built service with the V8 flags of its mode (docs/decisions.md, "The service
# runs with ..."). `exec`: the shell is replaced, no extra process stays behind.
#
# - DATABASE_URL set (a real PostgreSQL, as the image runs it): a 32 MB semi-space, for the
#   external ingest rate, whose heartbeats live long enough to be promoted out of a smaller
#   young generation.
# - Unset (the embedded default: PGlite, on a clinic's laptop), for the boot RSS target (300 MB):
#   an 8 MB semi-space, and PGlite's WebAssembly (PostgreSQL) compiled once by V8's baseline
#   compiler, Liftoff, and never re-compiled by the optimizing one (TurboFan): the optimizing
#   compiles of PostgreSQL's large functions left about 60 MB resident. The embedded ingest ratio
#   was measured with these flags (bench/README.md, "Embedded default"; docs/scale.md).
# bench/lib/service.ts spawns the service with the same flags (serviceNodeFlags).
if [ -n "${DATABASE_URL:-}" ]; then
  exec node --max-semi-space-size=32 --heap-growing-percent=50 dist/src/main.js "$@"
fi
exec node --max-semi-space-size=8 --heap-growing-percent=50 --no-wasm-tier-up --no-wasm-dynamic-tiering dist/src/main.js "$@"
