#!/bin/sh
# `npm start`: the built service with the V8 flags of its mode (docs/decisions.md, "The service
# runs with ..."). `exec`: the shell is replaced, no extra process stays behind.
#
# - DATABASE_URL set (a real PostgreSQL, as the image runs it): a 32 MB semi-space, for the
#   external ingest rate, whose heartbeats live long enough to be promoted out of a smaller
#   young generation.
# - Unset (the embedded default: PGlite, on a clinic's laptop): 8 MB, for the boot RSS target
#   (300 MB); the embedded ingest rate is bounded by PGlite, and its ratio was measured with it
#   (bench/README.md, "Embedded default").
# bench/lib/service.ts spawns the service with the same flags (serviceNodeFlags).
if [ -n "${DATABASE_URL:-}" ]; then semi=32; else semi=8; fi
exec node --max-semi-space-size="$semi" --heap-growing-percent=50 dist/src/main.js "$@"
