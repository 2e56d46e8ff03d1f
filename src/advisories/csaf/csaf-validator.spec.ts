import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { CsafValidator, closeCsafValidator, validateCsaf } from './csaf-validator';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/csaf');
const FILES = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort();

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

/** A worker that answers every request with the given verdict, as the reference validator's worker would. */
const answeringWorker = (verdict: object) => (): Worker =>
  new Worker(
    `const { parentPort } = require("worker_threads"); parentPort.on("message", ({ id }) => parentPort.postMessage({ id, ...${JSON.stringify(verdict)} }));`,
    { eval: true },
  );

describe('CsafValidator: the verdict of the tests the library gets wrong is ours', () => {
  const history = (numbers: string[]) => ({
    document: { category: 'csaf_base', tracking: { revision_history: numbers.map((number) => ({ date: '2021-07-21T10:00:00.000Z', number, summary: '' })) } },
  });

  it("drops the library's 6.1.21 error on a same-day history listed newest first", async () => {
    const libraryError = {
      path: '/document/tracking/revision_history',
      message: 'revision history does not start with a version of 0 or 1 when sorted by date',
      test: 'mandatoryTest_6_1_21',
    };
    const validator = new CsafValidator({ workerFactory: answeringWorker({ valid: false, errors: [libraryError] }) });
    try {
      await expect(validator.validate(history(['2', '1']))).resolves.toEqual({ valid: true, errors: [] });
    } finally {
      await validator.close();
    }
  });

  it('adds our 6.1.26 error where the library found none', async () => {
    const validator = new CsafValidator({ workerFactory: answeringWorker({ valid: true, errors: [] }) });
    try {
      const result = await validator.validate({ document: { category: 'csafsecurityadvisory' } });
      expect(result).toEqual({ valid: false, errors: [expect.objectContaining({ path: '/document/category', test: 'mandatoryTest_6_1_26' })] });
    } finally {
      await validator.close();
    }
  });

  it("keeps the library's errors of other tests", async () => {
    const other = { path: '/product_tree', message: 'missing definition', test: 'mandatoryTest_6_1_1' };
    const validator = new CsafValidator({ workerFactory: answeringWorker({ valid: false, errors: [other] }) });
    try {
      await expect(validator.validate(history(['1']))).resolves.toEqual({ valid: false, errors: [other] });
    } finally {
      await validator.close();
    }
  });

  it('keeps an invalid verdict that names no error invalid', async () => {
    const validator = new CsafValidator({ workerFactory: answeringWorker({ valid: false, errors: [] }) });
    try {
      const result = await validator.validate(history(['1']));
      expect(result.valid).toBe(false);
      expect(result.errors).toHaveLength(1);
    } finally {
      await validator.close();
    }
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

  it("gives a new worker's first validation the cold-start timeout, and later ones the ordinary timeout", async () => {
    // Busy for 400 ms once (a cold start), then answers at once.
    const slowStart = () =>
      new Worker(
        `const { parentPort } = require("worker_threads"); const until = Date.now() + 400; while (Date.now() < until);
         parentPort.on("message", ({ id }) => parentPort.postMessage({ id, valid: true, errors: [] }));`,
        { eval: true },
      );
    const validator = new CsafValidator({ timeoutMs: 100, coldStartTimeoutMs: 5_000, workerFactory: slowStart });
    try {
      expect(await validator.validate({})).toEqual({ valid: true, errors: [] });
      expect(await validator.validate({})).toEqual({ valid: true, errors: [] });
    } finally {
      await validator.close();
    }
    const cold = new CsafValidator({ timeoutMs: 100, workerFactory: slowStart });
    try {
      expect(await cold.validate({})).toEqual({ valid: false, errors: [{ path: '', message: 'CSAF validation timed out after 100 ms' }] });
    } finally {
      await cold.close();
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
