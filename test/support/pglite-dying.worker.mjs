// The real embedded PostgreSQL thread, which dies a moment after it is ready, as a wasm trap or
// an out-of-memory in PGlite would end it (test/embedded-postgres.e2e-spec.ts).
await import('../../src/database/pglite-server.worker.mjs');
setTimeout(() => process.exit(3), 500);
