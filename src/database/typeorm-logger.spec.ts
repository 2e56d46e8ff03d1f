import { Logger } from '@nestjs/common';
import { Logger as TypeOrmLogger } from 'typeorm';
import { TypeOrmToNestLogger } from './typeorm-logger';

describe('TypeOrmToNestLogger', () => {
  const calls: unknown[][] = [];
  beforeEach(() => {
    calls.length = 0;
    for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => void calls.push([level, ...args]));
    }
  });
  afterEach(() => jest.restoreAllMocks());

  it('passes a pool warning to the structured logger', () => {
    new TypeOrmToNestLogger().log('warn', 'Postgres pool raised an error. error: terminating connection due to administrator command');
    expect(calls).toEqual([['warn', 'Postgres pool raised an error. error: terminating connection due to administrator command']]);
  });

  it('never logs a statement or its parameters, failed or not', () => {
    // Called as TypeORM calls it: through its interface, with the statement and parameters.
    const logger: TypeOrmLogger = new TypeOrmToNestLogger();
    logger.logQuery('SELECT * FROM devices WHERE patient_ref = $1', ['Patient/secret-123']);
    logger.logQueryError(new Error('boom'), 'SELECT * FROM devices WHERE patient_ref = $1', ['Patient/secret-123']);
    logger.logQuerySlow(1234, 'SELECT * FROM devices WHERE patient_ref = $1', ['Patient/secret-123']);
    expect(JSON.stringify(calls)).not.toContain('secret-123');
    expect(JSON.stringify(calls)).not.toContain('SELECT');
    expect(calls).toEqual([['warn', { ms: 1234 }, 'slow statement']]);
  });
});
