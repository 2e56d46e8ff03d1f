import { readCsaf } from '../src/advisories/csaf';
import { createKey } from './factories/inventory.factory';
import { mandatoryTestDocuments, tcDocument } from './support/csaf-tc-documents';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Every document of the CSAF TC's mandatory test set, POSTed as IT staff would. A document that
 * fails a mandatory test is refused with 400 naming that test, and nothing is stored. A valid
 * document is accepted: 201 `created`, even when none of its products is in the inventory (none
 * is here): each affected product is then listed as unmapped, for IT to map later.
 *
 * The documents go one after another (147 requests): the validator is one worker thread, so
 * sending them at once would only queue them there.
 */
describe('CSAF TC mandatory test documents, imported through POST /api/v1/advisories/csaf', () => {
  const { failing, valid } = mandatoryTestDocuments();
  let t: TestApp;
  let itKey: string;
  let importsStartedAt = 0;

  beforeAll(async () => {
    t = await startTestApp();
    itKey = await createKey(t, 'it');
    importsStartedAt = Date.now();
  });
  afterAll(async () => {
    // For the record: how long the whole set takes on this machine (the app's start not counted).
    process.stdout.write(`CSAF TC conformance: ${failing.length + valid.length} documents imported in ${Date.now() - importsStartedAt} ms\n`);
    await t?.close();
  });

  const importDoc = (file: string) => t.api(itKey).post('/api/v1/advisories/csaf').send(tcDocument(file));

  it.each(failing.map((c) => [c.file, c.testId, c.libraryTest]))('refuses %s (fails %s) with 400 naming %s', async (file, _testId, libraryTest) => {
    const res = await importDoc(file);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^document: not a valid CSAF 2.0 document: /);
    expect(res.body.details.errors.map((e: { test?: string }) => e.test)).toContain(libraryTest);
  });

  it.each(valid.map((c) => [c.file, c.testId]))('accepts %s (valid for %s) with 201, its affected products listed as unmapped', async (file) => {
    const doc = tcDocument(file);
    const res = await importDoc(file);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'created', trackingId: doc.document.tracking.id, revision: doc.document.tracking.version, affected: [] });
    const affected = readCsaf(doc)
      .products.filter((p) => p.status === 'known_affected')
      .map((p) => p.productId);
    expect(res.body.unmappedProducts.map((u: { productRef: string }) => u.productRef)).toEqual(expect.arrayContaining(affected));
  });

  it('stores the valid documents as advisories, and none of the refused', async () => {
    const res = await t.api(itKey).get('/api/v1/advisories?limit=500').expect(200);
    const stored = res.body.filter((a: { source: string }) => a.source === 'csaf').map((a: { trackingId: string }) => a.trackingId);
    const expected = valid.map((c) => tcDocument(c.file).document.tracking.id as string);
    expect([...stored].sort()).toEqual([...expected].sort());
  });
});
