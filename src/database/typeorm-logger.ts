import { Logger } from '@nestjs/common';
import { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's own messages (a pool error while the database is away, migrations) through the
 * service's structured logger; TypeORM's default printer wrote them to stdout as plain text
 * between the JSON lines. Statements and their parameters are never logged: parameters can hold
 * patient-linked data, and a failed statement surfaces as an exception its caller logs.
 */
export class TypeOrmToNestLogger implements TypeOrmLogger {
  private readonly logger = new Logger('TypeORM');

  logQuery(): void {}

  logQueryError(): void {}

  logQuerySlow(ms: number): void {
    this.logger.warn({ ms }, 'slow statement');
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = message instanceof Error ? message.message : String(message);
    if (level === 'warn') this.logger.warn(text);
    else this.logger.log(text);
  }
}
