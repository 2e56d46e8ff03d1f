// Child process for pglite-initdb.ts: creates a fresh PGlite data folder (initdb) and exits.
// initdb runs in a second PGlite instance plus initdb's own WebAssembly module, and the result
// is copied through an in-memory tar: about 800 MB resident at its peak (PGlite 0.5.14). A
// process gives all of it back to the system when it exits; a thread of the service would not
// (measured: 248 MB stayed resident after a worker thread running it had exited).
// The build copies this file next to the compiled pglite-initdb.js (dist/src/database/).
import { PGlite } from '@electric-sql/pglite';

const [dataDir] = process.argv.slice(2);
const db = await PGlite.create(dataDir);
await db.close();
