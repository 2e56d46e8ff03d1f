import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KevCatalog, KevProblem, readKevCatalog } from './kev-catalog';

const FIXTURE = resolve(__dirname, '../../test/fixtures/kev/known_exploited_vulnerabilities-2025.08.25.json');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a copy of the catalog, edited loosely per test
type Doc = Record<string, any>;
const published = (): Doc => JSON.parse(readFileSync(FIXTURE, 'utf8'));

const catalogOf = (doc: unknown): KevCatalog => {
  const reading = readKevCatalog(doc);
  if ('problems' in reading) throw new Error(JSON.stringify(reading.problems));
  return reading.catalog;
};
const problemsOf = (doc: unknown): KevProblem[] => {
  const reading = readKevCatalog(doc);
  if ('catalog' in reading) throw new Error('expected problems');
  return reading.problems;
};

describe('readKevCatalog', () => {
  it("accepts CISA's published catalog of 2025-08-25 and reads every entry", () => {
    const catalog = catalogOf(published());
    expect(catalog.catalogVersion).toBe('2025.08.25');
    expect(catalog.dateReleased).toBe('2025-08-25T17:04:19.9796Z');
    expect(catalog.entries).toHaveLength(1404);
    expect(catalog.entries.filter((e) => e.knownRansomware)).toHaveLength(293);
    expect(catalog.entries.find((e) => e.cve === 'CVE-2019-0708')).toEqual({
      cve: 'CVE-2019-0708',
      vendorProject: 'Microsoft',
      product: 'Remote Desktop Services',
      vulnerabilityName: expect.stringContaining('Remote Desktop Services'),
      dateAdded: '2021-11-03',
      dueDate: '2022-05-03',
      knownRansomware: true,
      requiredAction: expect.any(String),
      notes: expect.any(String),
    });
  });

  it('names the JSON path of a missing cveID', () => {
    const doc = published();
    delete doc.vulnerabilities[3].cveID;
    expect(problemsOf(doc)).toEqual([{ path: 'vulnerabilities[3].cveID', message: 'is required' }]);
  });

  it.each([
    ['a cveID of the wrong type', (d: Doc) => (d.vulnerabilities[7].cveID = 20190708), 'vulnerabilities[7].cveID', 'must be string'],
    ['a cveID of the wrong form', (d: Doc) => (d.vulnerabilities[7].cveID = 'CVE-19-0708'), 'vulnerabilities[7].cveID', 'must match pattern'],
    ['a day that does not exist', (d: Doc) => (d.vulnerabilities[0].dateAdded = '2025-02-30'), 'vulnerabilities[0].dateAdded', 'must match format "date"'],
    ['a count that is not an integer', (d: Doc) => (d.count = '1404'), 'count', 'must be integer'],
    ['no catalogVersion', (d: Doc) => delete d.catalogVersion, 'catalogVersion', 'is required'],
    ['a release date that is not a date-time', (d: Doc) => (d.dateReleased = '25 August 2025'), 'dateReleased', 'must match format "date-time"'],
    ['vulnerabilities that are not a list', (d: Doc) => (d.vulnerabilities = {}), 'vulnerabilities', 'must be array'],
    ['a CWE of the wrong form', (d: Doc) => (d.vulnerabilities[2].cwes = ['79']), 'vulnerabilities[2].cwes[0]', 'must match pattern'],
  ])('refuses %s, naming its path', (_name, edit, path, message) => {
    const doc = published();
    edit(doc);
    const problems = problemsOf(doc);
    expect(problems[0].path).toBe(path);
    expect(problems[0].message).toContain(message);
  });

  it('lists every problem, up to 20', () => {
    const doc = published();
    for (let i = 0; i < 50; i++) delete doc.vulnerabilities[i].product;
    const problems = problemsOf(doc);
    expect(problems).toHaveLength(20);
    expect(problems.slice(0, 2)).toEqual([
      { path: 'vulnerabilities[0].product', message: 'is required' },
      { path: 'vulnerabilities[1].product', message: 'is required' },
    ]);
  });

  it('refuses what the schema allows but the catalog never holds: a CVE twice, a count that is not the length, oversized fields', () => {
    const doc = published();
    doc.vulnerabilities[10].cveID = doc.vulnerabilities[2].cveID;
    doc.vulnerabilities[11].vendorProject = 'V'.repeat(301);
    doc.count = 1405;
    doc.catalogVersion = '';
    expect(problemsOf(doc)).toEqual([
      { path: 'catalogVersion', message: 'must be 1 to 100 characters' },
      { path: 'count', message: 'says 1405 but vulnerabilities has 1404 entries' },
      { path: 'vulnerabilities[10].cveID', message: `${doc.vulnerabilities[2].cveID} is listed twice (also vulnerabilities[2])` },
      { path: 'vulnerabilities[11].vendorProject', message: 'must be at most 300 characters' },
    ]);
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'catalog', 7])
      expect(problemsOf(body)).toEqual([{ path: 'body', message: expect.stringContaining('must be a JSON object') }]);
  });

  it('reads an entry without the optional ransomware flag and notes as not known and null', () => {
    const doc = published();
    delete doc.vulnerabilities[0].knownRansomwareCampaignUse;
    delete doc.vulnerabilities[0].notes;
    expect(catalogOf(doc).entries[0]).toMatchObject({ knownRansomware: false, notes: null });
  });
});
