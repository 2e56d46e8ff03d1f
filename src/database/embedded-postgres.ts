import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { initDataDirInChildProcess } from './pglite-initdb';
import { settingsAsStartParams } from './pglite-settings';
import { PgliteThread } from './pglite-thread';

export interface EmbeddedPostgresOptions {
  /**
   * PGlite on its own worker thread (default), or on the calling thread as before
   * (EMBEDDED_DB_WORKER=false: kept to measure the difference, docs/scale.md).
   */
  worker?: boolean;
  /** The worker thread died while the service ran. Default: log it and exit the process with 1. */
  onCrash?: (error: Error) => void;
  /** The worker thread's script; another one only in tests. */
  workerScript?: string;
}

interface Host {
  conn: string;
  stop(): Promise<void>;
}

/**
 * PGlite behind a loopback PostgreSQL socket, so the embedded default runs the very same
 * driver, migrations and SQL as a real PostgreSQL. The socket server multiplexes its client
 * connections onto PGlite's single session and keeps each transaction whole.
 *
 * A fresh data folder gets its initdb in a child process first (pglite-initdb.ts), and PGlite
 * runs on a worker thread (pglite-thread.ts) with a smaller cache than PGlite's default
 * (pglite-settings.ts): docs/scale.md, "Embedded default", has the figures.
 */
export class EmbeddedPostgres {
  private static readonly logger = new Logger(EmbeddedPostgres.name);

  private constructor(
    private readonly host: Host,
    readonly url: string,
  ) {}

  static async start(dataDir: string, maxConnections: number, options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
    const started = Date.now();
    const inMemory = dataDir.startsWith('memory://');
    const location = inMemory ? dataDir : EmbeddedPostgres.prepareDirectory(dataDir);
    const initdb = !inMemory && (await initDataDirInChildProcess(location));
    const startParams = settingsAsStartParams();
    const worker = options.worker ?? true;
    const host = worker
      ? await PgliteThread.start(location, startParams, maxConnections, options.onCrash ?? EmbeddedPostgres.exitOnCrash, options.workerScript)
      : await EmbeddedPostgres.startInProcess(location, startParams, maxConnections);
    const url = `postgres://postgres@${host.conn}/postgres`;
    EmbeddedPostgres.logger.log({ dataDir: location, initdb, worker, ms: Date.now() - started }, 'embedded PostgreSQL (PGlite) ready');
    return new EmbeddedPostgres(host, url);
  }

  private static async startInProcess(location: string, startParams: string[], maxConnections: number): Promise<Host> {
    const db = await PGlite.create(location, { startParams: [...PGlite.defaultStartParams, ...startParams] });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
    await server.start();
    return {
      conn: server.getServerConn(),
      stop: async () => {
        await server.stop();
        await db.close();
      },
    };
  }

  /** Without its database the service can only fail every request: better to stop and be restarted. */
  private static exitOnCrash(error: Error): void {
    EmbeddedPostgres.logger.fatal({ err: error.message }, 'embedded PostgreSQL (PGlite) died; exiting');
    process.exit(1);
  }

  private static prepareDirectory(dataDir: string): string {
    const dir = resolve(dataDir, 'pgdata');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  async stop(): Promise<void> {
    await this.host.stop();
  }
}
