import * as fs from 'fs';
import * as path from 'path';
import type { CsafAdvisory, CsafBranch, CsafDocument, CsafProduct } from './csaf.types';
import { publisherKey, readCsaf } from './csaf-reader';
import { normalizeName } from './normalize-name';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/csaf');

function fixture(file: string): CsafDocument {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as CsafDocument;
}

function product(advisory: CsafAdvisory, productId: string): CsafProduct {
  const found = advisory.products.find((p) => p.productIds.includes(productId));
  if (!found) throw new Error(`no product ${productId}`);
  return found;
}

type Sample = Pick<CsafProduct, 'vendor' | 'productName' | 'versionExpression' | 'versionKind' | 'status' | 'fixedVersion'>;

interface FixtureExpectation {
  trackingId: string;
  revision: string;
  cves: string[];
  cvssScore: number;
  cvssVector: string;
  severity: CsafAdvisory['severity'];
  productCount: number;
  samples: Record<string, Sample>;
  /** Every product (by productId) with a non-null fixedVersion; all others must be null. */
  fixedVersions: Record<string, string>;
}

const BD = 'Becton, Dickinson and Company (BD)';

const EXPECTED: Record<string, FixtureExpectation> = {
  'icsma-18-123-01.json': {
    trackingId: 'ICSMA-18-123-01',
    revision: '2',
    cves: ['CVE-2018-8853', 'CVE-2018-8861', 'CVE-2018-8857'],
    cvssScore: 8.4,
    cvssVector: 'CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    severity: 'high',
    productCount: 4,
    samples: {
      'CSAFPID-0002': {
        vendor: 'Philips',
        productName: 'Brilliance iCT',
        versionExpression: '<=4.1.6',
        versionKind: 'range',
        status: 'known_affected',
        fixedVersion: null,
      },
    },
    fixedVersions: {},
  },
  'icsma-18-142-01.json': {
    trackingId: 'ICSMA-18-142-01',
    revision: '2',
    cves: ['CVE-2018-10593', 'CVE-2018-10595'],
    cvssScore: 6.3,
    cvssVector: 'CVSS:3.0/AV:A/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:H',
    severity: 'medium',
    productCount: 6,
    samples: {
      'CSAFPID-0001': {
        vendor: BD,
        productName: 'Database (DB) Manager',
        versionExpression: '3.0.1.0',
        versionKind: 'exact',
        status: 'known_affected',
        fixedVersion: null,
      },
      'CSAFPID-0004': {
        vendor: BD,
        productName: 'BD Kiestra TLA WCA InoqulA+ speciman processor - ReadA Overview',
        versionExpression: '<=1.1.0.2',
        versionKind: 'range',
        status: 'known_affected',
        fixedVersion: null,
      },
    },
    fixedVersions: {},
  },
  'icsma-20-254-01.json': {
    trackingId: 'ICSMA-20-254-01',
    revision: '4',
    cves: ['CVE-2020-16214', 'CVE-2020-16218', 'CVE-2020-16222', 'CVE-2020-16228', 'CVE-2020-16224', 'CVE-2020-16220', 'CVE-2020-16216', 'CVE-2020-16212'],
    cvssScore: 6.8,
    cvssVector: 'CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    severity: 'medium',
    productCount: 9,
    samples: {
      'CSAFPID-0003': {
        vendor: 'Philips',
        productName: 'Patient Information Center iX (PICiX)',
        versionExpression: 'C.03',
        versionKind: 'exact',
        status: 'known_affected',
        fixedVersion: null,
      },
      'CSAFPID-0005': {
        vendor: 'Philips',
        productName: 'IntelliVue patient monitor MX100',
        versionExpression: '<=N',
        versionKind: 'range',
        status: 'known_affected',
        fixedVersion: null,
      },
    },
    fixedVersions: {},
  },
  'icsma-20-343-01.json': {
    trackingId: 'ICSMA-20-343-01',
    revision: '1',
    cves: ['CVE-2020-25175', 'CVE-2020-25179'],
    cvssScore: 9.8,
    cvssVector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    severity: 'critical',
    // 107 product ids; CSAFPID-0005 and CSAFPID-0006 are the same "1.5T Signa Hdx: HD 16 | HD23".
    productCount: 106,
    samples: {
      'CSAFPID-0005': {
        vendor: 'GE Healthcare',
        productName: '1.5T Signa Hdx',
        versionExpression: 'HD 16 | HD23',
        versionKind: 'exact',
        status: 'known_affected',
        fixedVersion: null,
      },
      'CSAFPID-00010': {
        vendor: 'GE Healthcare',
        productName: 'LOGIQ 7',
        versionExpression: 'BT03 | BT04 | BT06',
        versionKind: 'exact',
        status: 'known_affected',
        fixedVersion: null,
      },
      'CSAFPID-00013': {
        vendor: 'GE Healthcare',
        productName: 'Vivid 7',
        versionExpression: '>=BT02 | <= BT06',
        versionKind: 'range',
        status: 'known_affected',
        fixedVersion: null,
      },
      'CSAFPID-00019': {
        vendor: 'GE Healthcare',
        productName: 'Innova 2000',
        versionExpression: 'vers:all/*',
        versionKind: 'range',
        status: 'known_affected',
        fixedVersion: null,
      },
      'CSAFPID-000107': {
        vendor: 'GE Healthcare',
        productName: 'Alaris PC Unit',
        versionExpression: 'vers:all/*',
        versionKind: 'range',
        status: 'known_affected',
        fixedVersion: null,
      },
    },
    fixedVersions: {},
  },
  'icsma-21-007-01.json': {
    trackingId: 'ICSMA-21-007-01',
    revision: '1',
    cves: ['CVE-2020-27262', 'CVE-2020-27260'],
    cvssScore: 5.3,
    cvssVector: 'CVSS:3.0/AV:P/AC:L/PR:N/UI:N/S:C/C:N/I:H/A:N',
    severity: 'medium',
    productCount: 1,
    samples: {
      // The vendor is reported as written (mojibake); normalizeName repairs it for matching.
      'CSAFPID-0001': {
        vendor: 'Innokas YhtymÃ¤ Oy',
        productName: 'VC150',
        versionExpression: '< 1.7.15',
        versionKind: 'range',
        status: 'known_affected',
        fixedVersion: '1.7.15b',
      },
    },
    fixedVersions: { 'CSAFPID-0001': '1.7.15b' },
  },
  'icsma-21-012-01.json': {
    trackingId: 'ICSMA-21-012-01',
    revision: '1',
    cves: [
      'CVE-2020-27256',
      'CVE-2020-27258',
      'CVE-2020-27264',
      'CVE-2020-27266',
      'CVE-2020-27268',
      'CVE-2020-27269',
      'CVE-2020-27270',
      'CVE-2020-27272',
      'CVE-2020-27276',
    ],
    cvssScore: 7.6,
    cvssVector: 'CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:L',
    severity: 'high',
    productCount: 3,
    samples: {
      'CSAFPID-0002': {
        vendor: 'SOOIL Developments Co, Ltd.',
        productName: 'Dana Diabecare RS',
        versionExpression: '< 3.0',
        versionKind: 'range',
        status: 'known_affected',
        fixedVersion: '3.0',
      },
    },
    fixedVersions: { 'CSAFPID-0001': '3.0', 'CSAFPID-0002': '3.0', 'CSAFPID-0003': '3.0' },
  },
  'icsma-22-251-01.json': {
    trackingId: 'ICSMA-22-251-01',
    revision: '2',
    cves: ['CVE-2022-26390', 'CVE-2022-26392', 'CVE-2022-26393', 'CVE-2022-26394'],
    cvssScore: 7.5,
    cvssVector: 'CVSS:3.0/AV:A/AC:H/PR:N/UI:N/S:C/C:L/I:H/A:L',
    severity: 'high',
    productCount: 6,
    samples: {
      'CSAFPID-0001': {
        vendor: 'Baxter',
        productName: 'Baxter Spectrum IQ',
        versionExpression: '9.x model 35700BAX3',
        versionKind: 'exact',
        status: 'known_affected',
        fixedVersion: null,
      },
      'CSAFPID-0002': {
        vendor: 'Baxter',
        productName: 'Baxter Spectrum IQ LVP',
        versionExpression: '9.x (with Wireless Battery Modules >= 22D19 | <= v22D28)',
        versionKind: 'range',
        status: 'known_affected',
        fixedVersion: null,
      },
    },
    fixedVersions: {},
  },
  'icsma-23-194-01.json': {
    trackingId: 'ICSMA-23-194-01',
    revision: '2',
    cves: ['CVE-2023-30559', 'CVE-2023-30560', 'CVE-2023-30561', 'CVE-2023-30562', 'CVE-2023-30563', 'CVE-2023-30564', 'CVE-2023-30565', 'CVE-2018-1285'],
    cvssScore: 8.2,
    cvssVector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:L/A:N',
    severity: 'high',
    productCount: 6,
    samples: {
      'CSAFPID-0003': {
        vendor: BD,
        productName: 'BD Alaris Systems Manager',
        versionExpression: '<=12.3',
        versionKind: 'range',
        status: 'known_affected',
        fixedVersion: '12.5.1',
      },
      'CSAFPID-0004': {
        vendor: BD,
        productName: 'CQI Reporter',
        versionExpression: '<=10.17',
        versionKind: 'range',
        status: 'known_affected',
        fixedVersion: null,
      },
      'CSAFPID-0005': {
        vendor: BD,
        productName: 'Calculation Services',
        versionExpression: '<=1.0',
        versionKind: 'range',
        status: 'known_affected',
        fixedVersion: '1.1.1',
      },
      'CSAFPID-0006': {
        vendor: BD,
        productName: 'BD Alaris Guardrails Editor',
        versionExpression: '12.1.3',
        versionKind: 'exact',
        status: 'known_affected',
        fixedVersion: null,
      },
    },
    fixedVersions: { 'CSAFPID-0003': '12.5.1', 'CSAFPID-0005': '1.1.1' },
  },
};

describe('readCsaf on the CISA fixtures', () => {
  it('covers every fixture file', () => {
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(Object.keys(EXPECTED))('%s', (file) => {
    const expected = EXPECTED[file];
    const advisory = readCsaf(fixture(file));

    it('reads the tracking id and revision', () => {
      expect(advisory.trackingId).toBe(expected.trackingId);
      expect(advisory.revision).toBe(expected.revision);
    });

    it('lists the CVEs in document order', () => {
      expect(advisory.cves).toEqual(expected.cves);
    });

    it('reports the highest CVSS v3 score with its vector and severity', () => {
      expect(advisory.cvssScore).toBe(expected.cvssScore);
      expect(advisory.cvssVector).toBe(expected.cvssVector);
      expect(advisory.severity).toBe(expected.severity);
    });

    it('reads the number of distinct products', () => {
      expect(advisory.products).toHaveLength(expected.productCount);
    });

    it.each(Object.keys(expected.samples))('reads product %s', (id) => {
      const p = product(advisory, id);
      expect({
        vendor: p.vendor,
        productName: p.productName,
        versionExpression: p.versionExpression,
        versionKind: p.versionKind,
        status: p.status,
        fixedVersion: p.fixedVersion,
      }).toEqual(expected.samples[id]);
    });

    it('extracts fixed versions exactly for the expected products, from remediation text', () => {
      const withFix = Object.fromEntries(advisory.products.filter((p) => p.fixedVersion !== null).map((p) => [p.productId, p.fixedVersion]));
      expect(withFix).toEqual(expected.fixedVersions);
      for (const p of advisory.products) expect(p.fixedVersionSource).toBe(p.fixedVersion === null ? null : 'remediation_text');
    });

    it('gives every product a CVE list drawn from the advisory CVEs', () => {
      for (const p of advisory.products) {
        expect(p.cves.length).toBeGreaterThan(0);
        for (const cve of p.cves) expect(expected.cves).toContain(cve);
      }
    });
  });
});

describe('publisherKey', () => {
  it('treats case and trailing slashes as one publisher', () => {
    expect(publisherKey(' https://www.CISA.gov/ ')).toBe('https://www.cisa.gov');
    expect(publisherKey('https://www.cisa.gov//')).toBe(publisherKey('https://www.cisa.gov'));
    expect(publisherKey('https://psirt.example/a')).not.toBe(publisherKey('https://psirt.example/b'));
  });
});

describe('readCsaf fixture details', () => {
  it('reads title, publisher and release dates', () => {
    const a = readCsaf(fixture('icsma-23-194-01.json'));
    expect(a.title).toBe('BD Alaris System with Guardrails Suite MX');
    expect(a.publisher).toBe('CISA');
    expect(a.publisherNamespace).toBe('https://www.cisa.gov');
    expect(a.initialReleaseDate).toBe('2023-07-13T06:00:00.000000Z');
    expect(a.currentReleaseDate).toBe('2023-10-26T06:00:00.000000Z');
  });

  it('merges the product listed twice under two ids and keeps both ids', () => {
    const a = readCsaf(fixture('icsma-20-343-01.json'));
    const hdx = a.products.filter((p) => p.productName === '1.5T Signa Hdx');
    expect(hdx).toHaveLength(1);
    expect(hdx[0].productId).toBe('CSAFPID-0005');
    expect(hdx[0].productIds).toEqual(['CSAFPID-0005', 'CSAFPID-0006']);
  });

  it('keeps product ids of uneven width as written', () => {
    const a = readCsaf(fixture('icsma-20-343-01.json'));
    expect(a.products.map((p) => p.productId)).toEqual(expect.arrayContaining(['CSAFPID-0009', 'CSAFPID-00010', 'CSAFPID-000100']));
  });

  it('lists per product only the CVEs whose status names it', () => {
    const a = readCsaf(fixture('icsma-23-194-01.json'));
    expect(product(a, 'CSAFPID-0006').cves).toEqual(['CVE-2023-30562']);
  });

  it('keeps the full product name phrase', () => {
    const a = readCsaf(fixture('icsma-21-012-01.json'));
    expect(product(a, 'CSAFPID-0001').fullName).toBe('AnyDana-A: All versions prior to 3.0');
  });

  it('uses the single vendor_fix text once although every vulnerability repeats it', () => {
    const a = readCsaf(fixture('icsma-21-007-01.json'));
    expect(a.remediationText).toBe(
      'Innokas Yhtymä Oy recommends users update to the latest Version 1.7.15b or later. Software Version 1.7.15b mitigates reported vulnerabilities. Additionally, the following mitigations are available:',
    );
  });

  it('joins distinct vendor_fix and mitigation details in document order', () => {
    const lines = readCsaf(fixture('icsma-20-254-01.json')).remediationText.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Philips released the following versions to remediate reported vulnerabilities:',
      'Patient Information Center iX (PICiX) Version C.03',
      'PerformanceBridge Focal Point',
    ]);
    expect(lines).toHaveLength(15);
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('yields a mojibake vendor whose normalized name matches the correct spelling', () => {
    const a = readCsaf(fixture('icsma-21-007-01.json'));
    expect(normalizeName(a.products[0].vendor)).toBe(normalizeName('Innokas Yhtymä Oy'));
  });
});

// ---------------------------------------------------------------------------------------------
// Synthetic documents
// ---------------------------------------------------------------------------------------------

function doc(parts: Partial<CsafDocument> = {}): CsafDocument {
  return {
    document: {
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      title: 'Synthetic',
      publisher: { name: 'Example PSIRT', namespace: 'https://example.com', category: 'vendor' },
      tracking: { id: 'EX-1', version: '3', initial_release_date: '2024-01-01T00:00:00Z', current_release_date: '2024-02-01T00:00:00Z' },
    },
    ...parts,
  };
}

function vendor(name: string, ...branches: CsafBranch[]): CsafBranch {
  return { category: 'vendor', name, branches };
}

function productName(name: string, ...branches: CsafBranch[]): CsafBranch {
  return { category: 'product_name', name, branches };
}

function version(category: 'product_version' | 'product_version_range', name: string, id: string, fullName = `${id} name`): CsafBranch {
  return { category, name, product: { product_id: id, name: fullName } };
}

describe('readCsaf on synthetic documents', () => {
  it('marks a product_version leaf as an exact version', () => {
    const a = readCsaf(doc({ product_tree: { branches: [vendor('Acme', productName('Pump', version('product_version', '2.1.0', 'P1')))] } }));
    expect(a.products[0]).toMatchObject({ productId: 'P1', vendor: 'Acme', productName: 'Pump', versionExpression: '2.1.0', versionKind: 'exact' });
  });

  it('marks a product_version_range leaf as a range', () => {
    const a = readCsaf(
      doc({ product_tree: { branches: [vendor('Acme', productName('Pump', version('product_version_range', 'vers:generic/<2.1.0', 'P1')))] } }),
    );
    expect(a.products[0]).toMatchObject({ versionExpression: 'vers:generic/<2.1.0', versionKind: 'range' });
  });

  it('treats a vers: string in product_version as a range', () => {
    const a = readCsaf(doc({ product_tree: { branches: [vendor('Acme', productName('Pump', version('product_version', 'vers:all/*', 'P1')))] } }));
    expect(a.products[0].versionKind).toBe('range');
  });

  it('gives a product_name leaf no version', () => {
    const a = readCsaf(
      doc({ product_tree: { branches: [vendor('Acme', { category: 'product_name', name: 'Monitor', product: { product_id: 'P1', name: 'Acme Monitor' } })] } }),
    );
    expect(a.products[0]).toMatchObject({ productName: 'Monitor', versionExpression: null, versionKind: 'none', status: 'other' });
  });

  it('falls back to the product_family name when there is no product_name branch', () => {
    const a = readCsaf(
      doc({
        product_tree: { branches: [vendor('Acme', { category: 'product_family', name: 'Infusion', branches: [version('product_version', '1.0', 'P1')] })] },
      }),
    );
    expect(a.products[0]).toMatchObject({ vendor: 'Acme', productName: 'Infusion', versionExpression: '1.0' });
  });

  it('skips branch categories it does not use, such as architecture', () => {
    const a = readCsaf(
      doc({
        product_tree: {
          branches: [vendor('Acme', productName('Pump', { category: 'architecture', name: 'arm64', branches: [version('product_version', '1.0', 'P1')] }))],
        },
      }),
    );
    expect(a.products[0]).toMatchObject({ vendor: 'Acme', productName: 'Pump', versionExpression: '1.0', versionKind: 'exact' });
  });

  it('reads model numbers and SKUs from the identification helper', () => {
    const a = readCsaf(
      doc({
        product_tree: {
          branches: [
            vendor(
              'Acme',
              productName('Pump', {
                category: 'product_version',
                name: '1.0',
                product: { product_id: 'P1', name: 'Pump 1.0', product_identification_helper: { model_numbers: ['8015', '8100'], skus: ['SKU-1'] } },
              }),
            ),
          ],
        },
      }),
    );
    expect(a.products[0].modelNumbers).toEqual(['8015', '8100', 'SKU-1']);
  });

  it('maps first_affected and last_affected to known_affected', () => {
    const tree = { branches: [vendor('Acme', productName('Pump', version('product_version', '1.0', 'P1'), version('product_version', '1.5', 'P2')))] };
    const a = readCsaf(
      doc({ product_tree: tree, vulnerabilities: [{ cve: 'CVE-2024-0001', product_status: { first_affected: ['P1'], last_affected: ['P2'] } }] }),
    );
    expect(a.products.map((p) => p.status)).toEqual(['known_affected', 'known_affected']);
  });

  it('reports a product listed in no product_status as other', () => {
    const tree = { branches: [vendor('Acme', productName('Pump', version('product_version', '1.0', 'P1'), version('product_version', '2.0', 'P2')))] };
    const a = readCsaf(doc({ product_tree: tree, vulnerabilities: [{ cve: 'CVE-2024-0001', product_status: { known_affected: ['P1'] } }] }));
    expect(product(a, 'P2')).toMatchObject({ status: 'other', cves: [] });
  });

  it('reports known_not_affected and leaves that CVE out of the product CVEs', () => {
    const tree = { branches: [vendor('Acme', productName('Pump', version('product_version', '1.0', 'P1')))] };
    const a = readCsaf(doc({ product_tree: tree, vulnerabilities: [{ cve: 'CVE-2024-0001', product_status: { known_not_affected: ['P1'] } }] }));
    expect(a.products[0]).toMatchObject({ status: 'known_not_affected', cves: [] });
  });

  it('lets affected in one vulnerability win over fixed in another', () => {
    const tree = { branches: [vendor('Acme', productName('Pump', version('product_version', '1.0', 'P1')))] };
    const a = readCsaf(
      doc({
        product_tree: tree,
        vulnerabilities: [
          { cve: 'CVE-2024-0001', product_status: { fixed: ['P1'] } },
          { cve: 'CVE-2024-0002', product_status: { known_affected: ['P1'] } },
        ],
      }),
    );
    expect(a.products[0]).toMatchObject({ status: 'known_affected', cves: ['CVE-2024-0001', 'CVE-2024-0002'] });
  });

  it('takes the fixed version from a product with status fixed and gives it to its affected sibling', () => {
    const tree = {
      branches: [vendor('Acme', productName('Pump', version('product_version_range', '<2.1.0', 'OLD'), version('product_version', '2.1.0', 'NEW')))],
    };
    const a = readCsaf(
      doc({ product_tree: tree, vulnerabilities: [{ cve: 'CVE-2024-0001', product_status: { known_affected: ['OLD'], first_fixed: ['NEW'] } }] }),
    );
    expect(product(a, 'NEW')).toMatchObject({ status: 'fixed', fixedVersion: '2.1.0', fixedVersionSource: 'fixed_status' });
    expect(product(a, 'OLD')).toMatchObject({ status: 'known_affected', fixedVersion: '2.1.0', fixedVersionSource: 'fixed_status' });
  });

  it('does not hand a fixed version to an affected product of a different product name', () => {
    const tree = {
      branches: [
        vendor(
          'Acme',
          productName('Pump', version('product_version_range', '<2.1.0', 'OLD')),
          productName('Monitor', version('product_version', '2.1.0', 'NEW')),
        ),
      ],
    };
    const a = readCsaf(doc({ product_tree: tree, vulnerabilities: [{ cve: 'CVE-2024-0001', product_status: { known_affected: ['OLD'], fixed: ['NEW'] } }] }));
    expect(product(a, 'OLD').fixedVersion).toBeNull();
  });

  it('takes the fixed version from vendor_fix text that names the product through a product group', () => {
    const tree = {
      branches: [vendor('Acme', productName('Pump', version('product_version_range', '<3.0', 'P1')))],
      product_groups: [{ group_id: 'G1', product_ids: ['P1'] }],
    };
    const a = readCsaf(
      doc({
        product_tree: tree,
        vulnerabilities: [
          {
            cve: 'CVE-2024-0001',
            product_status: { known_affected: ['P1'] },
            remediations: [{ category: 'vendor_fix', details: 'Upgrade to v3.0.2.', group_ids: ['G1'] }],
          },
        ],
      }),
    );
    expect(a.products[0]).toMatchObject({ fixedVersion: '3.0.2', fixedVersionSource: 'remediation_text' });
  });

  it('leaves the fixed version empty when two vendor_fix texts for the product disagree', () => {
    const tree = { branches: [vendor('Acme', productName('Pump', version('product_version_range', '<3.0', 'P1')))] };
    const a = readCsaf(
      doc({
        product_tree: tree,
        vulnerabilities: [
          {
            cve: 'CVE-2024-0001',
            product_status: { known_affected: ['P1'] },
            remediations: [{ category: 'vendor_fix', details: 'Update to version 3.0.', product_ids: ['P1'] }],
          },
          {
            cve: 'CVE-2024-0002',
            product_status: { known_affected: ['P1'] },
            remediations: [{ category: 'vendor_fix', details: 'Update to version 3.1.', product_ids: ['P1'] }],
          },
        ],
      }),
    );
    expect(a.products[0]).toMatchObject({ fixedVersion: null, fixedVersionSource: null });
  });

  it('ignores versions in mitigation text when looking for a fixed version', () => {
    const tree = { branches: [vendor('Acme', productName('Pump', version('product_version_range', '<3.0', 'P1')))] };
    const a = readCsaf(
      doc({
        product_tree: tree,
        vulnerabilities: [
          {
            cve: 'CVE-2024-0001',
            product_status: { known_affected: ['P1'] },
            remediations: [{ category: 'mitigation', details: 'Update to version 3.0.', product_ids: ['P1'] }],
          },
        ],
      }),
    );
    expect(a.products[0].fixedVersion).toBeNull();
    expect(a.remediationText).toBe('Update to version 3.0.');
  });

  it('reads a relationship product with vendor, name and version of the referenced product', () => {
    const a = readCsaf(
      doc({
        product_tree: {
          branches: [
            vendor('Acme', productName('Pump Firmware', version('product_version', '4.2', 'FW42'))),
            vendor(
              'Acme',
              productName('Pump Model 8015', { category: 'product_name', name: 'Pump Model 8015', product: { product_id: 'HW', name: 'Acme Pump 8015' } }),
            ),
          ],
          relationships: [
            {
              category: 'installed_on',
              product_reference: 'FW42',
              relates_to_product_reference: 'HW',
              full_product_name: { product_id: 'FW42-ON-HW', name: 'Pump Firmware 4.2 installed on Acme Pump 8015' },
            },
          ],
        },
        vulnerabilities: [{ cve: 'CVE-2024-0001', product_status: { known_affected: ['FW42-ON-HW'] } }],
      }),
    );
    expect(product(a, 'FW42-ON-HW')).toMatchObject({
      vendor: 'Acme',
      productName: 'Pump Firmware',
      versionExpression: '4.2',
      versionKind: 'exact',
      fullName: 'Pump Firmware 4.2 installed on Acme Pump 8015',
      status: 'known_affected',
      cves: ['CVE-2024-0001'],
    });
  });

  it('reads top-level full_product_names without vendor or version', () => {
    const a = readCsaf(doc({ product_tree: { full_product_names: [{ product_id: 'X1', name: 'Widget 3000' }] } }));
    expect(a.products[0]).toMatchObject({ productId: 'X1', vendor: '', productName: 'Widget 3000', versionExpression: null, versionKind: 'none' });
  });

  it('does not merge products that differ only in model numbers', () => {
    const leaf = (id: string, model: string): CsafBranch => ({
      category: 'product_version',
      name: '1.0',
      product: { product_id: id, name: 'Pump 1.0', product_identification_helper: { model_numbers: [model] } },
    });
    const a = readCsaf(doc({ product_tree: { branches: [vendor('Acme', productName('Pump', leaf('P1', 'A'), leaf('P2', 'B')))] } }));
    expect(a.products).toHaveLength(2);
  });

  it('falls back to the CVSS v2 score when the document has no v3 score', () => {
    const a = readCsaf(
      doc({
        vulnerabilities: [
          { cve: 'CVE-2015-0001', scores: [{ products: [], cvss_v2: { version: '2.0', vectorString: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', baseScore: 7.5 } }] },
          { cve: 'CVE-2015-0002', scores: [{ products: [], cvss_v2: { version: '2.0', vectorString: 'AV:N/AC:M/Au:N/C:P/I:N/A:N', baseScore: 4.3 } }] },
        ],
      }),
    );
    expect(a).toMatchObject({ cvssScore: 7.5, cvssVector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', severity: 'high' });
  });

  it('prefers any CVSS v3 score over a higher CVSS v2 score', () => {
    const a = readCsaf(
      doc({
        vulnerabilities: [
          {
            cve: 'CVE-2020-0001',
            scores: [
              {
                products: [],
                cvss_v2: { version: '2.0', vectorString: 'AV:N/AC:L/Au:N/C:C/I:C/A:C', baseScore: 10 },
                cvss_v3: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', baseScore: 5.3, baseSeverity: 'MEDIUM' },
              },
            ],
          },
        ],
      }),
    );
    expect(a).toMatchObject({ cvssScore: 5.3, severity: 'medium' });
  });

  it('reads a document without product tree or vulnerabilities', () => {
    const a = readCsaf(doc());
    expect(a).toEqual({
      trackingId: 'EX-1',
      revision: '3',
      title: 'Synthetic',
      publisher: 'Example PSIRT',
      publisherNamespace: 'https://example.com',
      initialReleaseDate: '2024-01-01T00:00:00Z',
      currentReleaseDate: '2024-02-01T00:00:00Z',
      cves: [],
      remediationText: '',
      products: [],
    });
  });

  it('never throws on malformed parts and skips what it cannot read', () => {
    const odd = {
      document: { tracking: null, publisher: 'not an object' },
      product_tree: {
        branches: [null, 5, { category: 'vendor', name: 'Acme', branches: 'nope' }, { category: 'weird', branches: [{ product: { name: 'no id' } }] }],
        relationships: [{ product_reference: 'missing', full_product_name: { product_id: 'R1', name: 'Orphan relationship' } }],
      },
      vulnerabilities: [
        null,
        { cve: 7, product_status: { known_affected: 'P1' }, scores: [{ cvss_v3: { baseScore: 'high' } }], remediations: [null, { category: 'vendor_fix' }] },
      ],
    } as unknown as CsafDocument;
    const a = readCsaf(odd);
    expect(a).toMatchObject({ trackingId: '', revision: '', publisher: '', cves: [], remediationText: '' });
    expect(a.cvssScore).toBeUndefined();
    expect(a.products.map((p) => p.productId)).toEqual(['R1']);
    expect(() => readCsaf(null as unknown as CsafDocument)).not.toThrow();
    expect(() => readCsaf('text' as unknown as CsafDocument)).not.toThrow();
  });
});
