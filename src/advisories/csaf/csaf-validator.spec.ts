import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { CsafValidator, closeCsafValidator, validateCsaf } from './csaf-validator';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/csaf');
const FILES = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();

function fixture(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, unknown>;
}

/** A worker that receives requests and never answers. */
const silentWorker = (): Worker => new Worker('require("worker_threads").parentPort.on("message", () => {});', { eval: true });

afterAll(async () => {
  await closeCsafValidator();
});

describe('validateCsaf with the BSI reference validator', () => {
  it('finds eight fixtures to validate', () => {
    expect(FILES).toHaveLength(8);
  });

  it.each(FILES)('accepts the CISA advisory %s', async (file) => {
    const result = await validateCsaf(fixture(file));
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('rejects a document without /document/tracking and points at that path', async () => {
    const doc = fixture('icsma-21-007-01.json');
    delete (doc.document as Record<string, unknown>).tracking;
    const result = await validateCsaf(doc);
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.path)).toContain('/document/tracking');
  });

  it('reports the path of a wrongly typed value', async () => {
    const doc = fixture('icsma-21-007-01.json');
    ((doc.document as Record<string, unknown>).tracking as Record<string, unknown>).id = 42;
    const result = await validateCsaf(doc);
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.path)).toContain('/document/tracking/id');
  });

  it('rejects a mandatory-test violation (product id used but never defined)', async () => {
    const doc = fixture('icsma-21-007-01.json');
    const vulns = doc.vulnerabilities as { product_status: { known_affected: string[] } }[];
    vulns[0].product_status.known_affected.push('CSAFPID-9999');
    const result = await validateCsaf(doc);
    expect(result.valid).toBe(false);
    expect(result.errors.some((e) => e.test === 'mandatoryTest_6_1_1')).toBe(true);
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['a string', 'csaf'],
    ['an array', []],
    ['undefined', undefined],
  ])('rejects %s as not a CSAF document', async (_label, doc) => {
    const result = await validateCsaf(doc);
    expect(result.valid).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
  });

  it('rejects a value that is not JSON data instead of throwing', async () => {
    const result = await validateCsaf({ document: () => 1 });
    expect(result.valid).toBe(false);
    expect(result.errors[0].message).toMatch(/not a JSON document/);
  });

  it('answers concurrent validations each with its own result', async () => {
    const invalid = fixture('icsma-18-123-01.json');
    delete invalid.document;
    const results = await Promise.all([validateCsaf(fixture('icsma-23-194-01.json')), validateCsaf(invalid), validateCsaf(fixture('icsma-20-343-01.json'))]);
    expect(results.map((r) => r.valid)).toEqual([true, false, true]);
  });

  it('starts a new worker after closeCsafValidator', async () => {
    await closeCsafValidator();
    const result = await validateCsaf(fixture('icsma-21-012-01.json'));
    expect(result.valid).toBe(true);
  });
});

describe('CsafValidator worker handling', () => {
  it('resolves to an invalid result when a validation times out', async () => {
    const validator = new CsafValidator({ timeoutMs: 100, workerFactory: silentWorker });
    try {
      const result = await validator.validate({});
      expect(result).toEqual({ valid: false, errors: [{ path: '', message: 'CSAF validation timed out after 100 ms' }] });
    } finally {
      await validator.close();
    }
  });

  it('replaces the worker after a timeout', async () => {
    let created = 0;
    const validator = new CsafValidator({
      timeoutMs: 100,
      workerFactory: () => {
        created++;
        return silentWorker();
      },
    });
    try {
      await validator.validate({});
      await validator.validate({});
      expect(created).toBe(2);
    } finally {
      await validator.close();
    }
  });

  it('resolves to an invalid result when the worker crashes', async () => {
    const validator = new CsafValidator({ workerFactory: () => new Worker('throw new Error("boom")', { eval: true }) });
    try {
      const result = await validator.validate({});
      expect(result.valid).toBe(false);
      expect(result.errors[0].message).toMatch(/crashed: boom/);
    } finally {
      await validator.close();
    }
  });

  it('resolves pending validations as failed when closed', async () => {
    const validator = new CsafValidator({ workerFactory: silentWorker });
    const pending = validator.validate({});
    await validator.close();
    await expect(pending).resolves.toEqual({ valid: false, errors: [{ path: '', message: 'CSAF validator closed' }] });
  });

  it('resolves to an invalid result when the worker cannot be created', async () => {
    const validator = new CsafValidator({
      workerFactory: () => {
        throw new Error('no such file');
      },
    });
    await expect(validator.validate({})).resolves.toEqual({ valid: false, errors: [{ path: '', message: 'CSAF validator unavailable: no such file' }] });
  });
});
