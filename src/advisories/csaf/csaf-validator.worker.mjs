// Worker thread for csaf-validator.ts. Plain ESM on purpose: @secvisogram/csaf-validator-lib is
// ESM-only and this project is CommonJS (ts-jest cannot import it). The build must copy this file
// next to the compiled csaf-validator.js (dist/src/advisories/csaf/).
//
// Protocol: receives { id, doc }, answers { id, valid, errors: [{ path, message, test }] } or
// { id, failure: string } when validation itself crashed.
import { parentPort } from 'node:worker_threads';
import validate from '@secvisogram/csaf-validator-lib/validate.js';
// basic.js = the strict CSAF 2.0 JSON schema test + every mandatory test (6.1.x) - BSI's "basic" preset.
import * as basic from '@secvisogram/csaf-validator-lib/basic.js';

/** Each test wrapped so one crashing test (odd input) becomes a failed result, not a lost request. */
const tests = Object.values(basic)
  .filter((t) => typeof t === 'function')
  .map((test) => {
    const safe = async (doc) => {
      try {
        return await test(doc);
      } catch (err) {
        return { isValid: false, errors: [{ instancePath: '', message: `test crashed: ${err instanceof Error ? err.message : String(err)}` }] };
      }
    };
    Object.defineProperty(safe, 'name', { value: test.name });
    return safe;
  });

function escapePointer(segment) {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** JSON pointer of the error; for a missing property, point at the property itself. */
function pathOf(error) {
  const base = typeof error.instancePath === 'string' ? error.instancePath : '';
  if (error.keyword === 'required' && error.params && error.params.missingProperty !== undefined) {
    return `${base}/${escapePointer(error.params.missingProperty)}`;
  }
  return base;
}

parentPort.on('message', async (msg) => {
  const id = msg && msg.id;
  try {
    const result = await validate(tests, msg.doc);
    const errors = [];
    for (const t of result.tests) {
      for (const e of t.errors ?? []) errors.push({ path: pathOf(e), message: String(e.message ?? 'invalid'), test: t.name });
      // Every failed test is named by an error, so the caller can replace a test's verdict (see csaf-validator.ts).
      if (t.isValid === false && !(t.errors ?? []).length) errors.push({ path: '', message: 'invalid', test: t.name });
    }
    parentPort.postMessage({ id, valid: result.isValid === true && errors.length === 0, errors });
  } catch (err) {
    parentPort.postMessage({ id, failure: err instanceof Error ? err.message : String(err) });
  }
});
