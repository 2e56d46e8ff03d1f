import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { autovacuumGaps } from '../src/database/autovacuum-check';
import { startTestApp, TestApp, usingRealServices } from './support/test-app';

const BOOT_WARNING = /autovacuum is not tending device_presence and devices/;

/** The boot check that tells an operator when nothing vacuums the tables heartbeats rewrite. */
describe('autovacuum check', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let warnings: string[];

  beforeAll(async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      t = await startTestApp();
    } finally {
      warnings = warn.mock.calls.map((args) => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      warn.mockRestore();
    }
    dataSource = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  const serverAutovacuumOff = async (): Promise<boolean> => {
    const [{ on }]: Array<{ on: boolean }> = await dataSource.query(`SELECT current_setting('autovacuum')::bool AS on`);
    return !on;
  };

  it('names a heartbeat table whose autovacuum was switched off, in any spelling, and forgets it once reset', async () => {
    for (const spelling of ['false', 'off', '0']) {
      await dataSource.query(`ALTER TABLE device_presence SET (autovacuum_enabled = ${spelling})`);
      expect(await autovacuumGaps(dataSource)).toContain('table device_presence has autovacuum_enabled = false');
    }
    await dataSource.query(`ALTER TABLE device_presence RESET (autovacuum_enabled)`);
    await dataSource.query(`ALTER TABLE devices SET (autovacuum_enabled = true)`);
    const gaps = await autovacuumGaps(dataSource);
    expect(gaps.filter((g) => g.startsWith('table '))).toEqual([]);
    await dataSource.query(`ALTER TABLE devices RESET (autovacuum_enabled)`);
  });

  it('names the server setting exactly when the server has autovacuum off', async () => {
    expect((await autovacuumGaps(dataSource)).includes('the server runs with autovacuum = off')).toBe(await serverAutovacuumOff());
  });

  if (usingRealServices.database) {
    it('warns at boot on an external server exactly when there is a gap', async () => {
      const gaps = await autovacuumGaps(dataSource);
      const warned = warnings.filter((w) => BOOT_WARNING.test(w));
      expect(warned).toHaveLength(gaps.length ? 1 : 0);
      for (const gap of gaps) expect(warned[0]).toContain(gap);
    });
  } else {
    it("stays quiet at boot on the embedded database, whose settings are the service's own", () => {
      expect(warnings.filter((w) => BOOT_WARNING.test(w))).toEqual([]);
    });
  }
});
