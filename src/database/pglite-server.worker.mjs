// Worker thread for pglite-thread.ts: PGlite and its PostgreSQL socket server, off the thread
// that runs Nest and the MQTT broker, so that PostgreSQL's CPU (every statement of every
// heartbeat batch) does not wait behind the event loop and the other way round. Plain ESM on
// purpose: a worker runs a file, and under jest (ts-jest) the source tree has no compiled .js.
// The build copies this file next to the compiled pglite-thread.js (dist/src/database/).
//
// workerData: { location, startParams: string[] (added to PGlite's defaults), maxConnections }.
// Posts { type: 'ready', conn: 'host:port' } once the socket listens. Receives { type: 'stop' }:
// stops the server, closes PGlite (a checkpoint: the data folder is consistent) and posts
// { type: 'stopped' }. A failure to start is thrown, which the parent sees as an 'error' event.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { location, startParams, maxConnections } = workerData;

const db = await PGlite.create(location, { startParams: [...PGlite.defaultStartParams, ...startParams] });
const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
await server.start();

parentPort.on('message', (message) => {
  if (message?.type !== 'stop') return;
  (async () => {
    await server.stop();
    await db.close();
  })().then(
    () => parentPort.postMessage({ type: 'stopped' }),
    (err) => parentPort.postMessage({ type: 'stopped', error: err instanceof Error ? err.message : String(err) }),
  );
});
parentPort.postMessage({ type: 'ready', conn: server.getServerConn() });
