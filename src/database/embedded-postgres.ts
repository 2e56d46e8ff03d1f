import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PGlite behind a loopback PostgreSQL socket, so the embedded default runs the very same
 * driver, migrations and SQL as a real PostgreSQL. The socket server multiplexes its client
 * connections onto PGlite's single session and keeps each transaction whole.
 */
export class EmbeddedPostgres {
  private static readonly logger = new Logger(EmbeddedPostgres.name);

  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  static async start(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
    const started = Date.now();
    const location = dataDir.startsWith('memory://') ? dataDir : EmbeddedPostgres.prepareDirectory(dataDir);
    const db = await PGlite.create(location);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres`;
    EmbeddedPostgres.logger.log({ dataDir: location, ms: Date.now() - started }, 'embedded PostgreSQL (PGlite) ready');
    return new EmbeddedPostgres(db, server, url);
  }

  private static prepareDirectory(dataDir: string): string {
    const dir = resolve(dataDir, 'pgdata');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
