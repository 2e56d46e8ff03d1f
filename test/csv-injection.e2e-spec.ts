import { parse } from 'csv-parse/sync';
import { createAdvisory } from './factories/advisory.factory';
import { createDevice, seedModel } from './factories/inventory.factory';
import { eventually } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Text a client wrote (a device's location here) that a spreadsheet would run as a formula comes
 * out of the report's CSV with a leading apostrophe, in one quoted cell, whatever it hides behind.
 */
const PAYLOADS = [
  '=1+1',
  '+1',
  '-1',
  '@SUM(A1)',
  '\t=1+1',
  '\r=1+1',
  '\n=1+1',
  '\u000b=1+1',
  '\f=1+1',
  '\u0085=1+1',
  '\u00a0=1+1',
  '\u200b=1+1',
  ' =1+1',
  '\uff1d1+1',
  '\uff0b1+1',
  '\uff0d1+1',
  '\uff20SUM(A1)',
  'ICU;=1+1',
  'ICU; =HYPERLINK("http://evil.example","x")',
  'ICU,=1+1',
  'ICU|=1+1',
  'ICU\t@SUM(A1)',
];

describe('CSV report: no cell a spreadsheet would run', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('neutralises every payload in the outdated-firmware CSV and keeps ordinary values as they are', async () => {
    const { manufacturerId, modelId } = await seedModel(t);
    const byDevice = new Map<string, string>();
    for (const location of [...PAYLOADS, 'Building A / ICU / Bed 12']) {
      const device = await createDevice(t, modelId, { firmwareVersion: '1.0', location, department: 'Oncology' });
      byDevice.set(device.id, location);
    }
    await createAdvisory(t, { manufacturerId, affected: [{ modelId, versions: '<2.0', fixedVersion: '2.0' }] });
    await eventually(async () => {
      const report = await t.api().get(`/api/v1/reports/outdated-firmware?manufacturerId=${manufacturerId}`).expect(200);
      expect(report.body.items).toHaveLength(byDevice.size);
    });

    const res = await t.api().get(`/api/v1/reports/outdated-firmware?manufacturerId=${manufacturerId}`).set('Accept', 'text/csv').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows]: string[][] = parse(res.text);
    const id = header.indexOf('deviceId');
    const location = header.indexOf('location');
    expect(rows).toHaveLength(byDevice.size);
    for (const row of rows) {
      expect(row).toHaveLength(header.length);
      const written = byDevice.get(row[id])!;
      expect(row[location]).toBe(written === 'Building A / ICU / Bed 12' ? written : `'${written}`);
      expect(row[header.indexOf('department')]).toBe('Oncology');
    }
    // Where the text holds a separator a spreadsheet may split on, the cell is quoted as well.
    expect(res.text).toContain(`"'ICU;=1+1"`);
  });
});
