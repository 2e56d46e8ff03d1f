import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { READ_REPLICA, replicaLagSeconds } from '../database/read-replica';

const TIMEOUT_MS = 2000;

/** The read replica of DATABASE_READ_URL: reachable, and how far behind the primary its replay is. */
@Injectable()
export class ReadReplicaHealthIndicator {
  constructor(
    @Inject(READ_REPLICA) private readonly replica: DataSource | null,
    private readonly indicator: HealthIndicatorService,
  ) {}

  get configured(): boolean {
    return this.replica !== null;
  }

  async check(key = 'databaseRead') {
    const session = this.indicator.check(key);
    if (!this.replica) return session.up({ message: 'not configured: reports read the primary' });
    let timer: NodeJS.Timeout | undefined;
    try {
      const lagSeconds = await Promise.race([
        replicaLagSeconds(this.replica),
        new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS))),
      ]);
      // null: the server is not a standby (a second connection to the primary), so nothing lags.
      return session.up({ lagSeconds });
    } catch (e) {
      return session.down({ message: (e as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}
