import { mandatoryTestDocuments, tcDocument } from '../../../test/support/csaf-tc-documents';
import { closeCsafValidator, validateCsaf } from './csaf-validator';
import { readCsaf } from './csaf-reader';

/**
 * The CSAF TC's own documents for the CSAF 2.0 mandatory tests (test/fixtures/csaf-tests): a
 * conforming validator refuses every document listed as failing a test and accepts every one
 * listed as valid.
 */
const { failing, valid } = mandatoryTestDocuments();

afterAll(async () => {
  await closeCsafValidator();
});

describe('the CSAF TC mandatory test set', () => {
  it('holds 87 failing and 60 valid documents', () => {
    expect([failing.length, valid.length]).toEqual([87, 60]);
  });

  it.each(failing.map((c) => [c.file, c.testId, c.libraryTest]))('refuses %s (fails %s) by the test %s', async (file, _testId, libraryTest) => {
    const result = await validateCsaf(tcDocument(file));
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.test)).toContain(libraryTest);
  });

  it.each(valid.map((c) => [c.file, c.testId]))('accepts %s (valid for %s)', async (file) => {
    const result = await validateCsaf(tcDocument(file));
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it.each([...failing, ...valid].map((c) => [c.file]))('reads %s without throwing, with its tracking id and version', (file) => {
    const doc = tcDocument(file);
    const advisory = readCsaf(doc);
    expect([advisory.trackingId, advisory.revision]).toEqual([doc.document?.tracking?.id ?? '', doc.document?.tracking?.version ?? '']);
  });
});
