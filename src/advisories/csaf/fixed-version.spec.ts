import * as fs from 'fs';
import * as path from 'path';
import type { CsafDocument } from './csaf.types';
import { extractFixedVersion, fixedVersionCandidates } from './fixed-version';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/csaf');

function vendorFixTexts(file: string): string[] {
  const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as CsafDocument;
  const texts = (doc.vulnerabilities ?? []).flatMap((v) => (v.remediations ?? []).filter((r) => r.category === 'vendor_fix').map((r) => r.details ?? ''));
  return [...new Set(texts)];
}

/**
 * Every distinct vendor_fix remediation text of every fixture (identified by its opening words),
 * with the value read off by hand. null = no single clear fixed version in that text.
 */
const EXPECTED: Record<string, [string, string | null][]> = {
  'icsma-18-123-01.json': [
    ['As the MX8000 Dual EXP has been out of support since 2017', null],
    // "4.x and above versions" is a family, and iCT 4.1.6 is itself listed as affected.
    ['Philips has also remediated hard-coded credential vulnerabilities for Brilliance iCT 4.x', null],
    ['Philips has identified the following guidance', null],
    ['Philips will be further assessing options for remediation', null],
    ["The Philips ' advisory is available", null],
    ['http://www.philips.com/productsecurity', null],
  ],
  'icsma-18-142-01.json': [
    ['BD has developed a mitigation', null],
    ['For more specific details regarding these vulnerabilities', null],
    ['For product support or site-specific concerns', null],
    ['Until mitigations are in place', null],
    ['https://www.bd.com/en-us/support/product-security-and-privacy', null],
  ],
  'icsma-20-254-01.json': [
    // A bare "Product Version C.03" (C.03 is itself listed as affected): not read as a fix.
    ['Patient Information Center iX (PICiX) Version C.03', null],
    ['PerformanceBridge Focal Point', null],
    ['IntelliVue Patient Monitors Versions N.00 and N.01', null],
    ['IntelliVue Patient Monitors Version M.04: Contact a Philips service support team', null],
  ],
  'icsma-20-343-01.json': [
    ['GE has identified mitigations for specific products', null],
    ['In addition to the product specific recommendations', null],
  ],
  'icsma-21-007-01.json': [['Innokas Yhtymä Oy recommends users update to the latest Version 1.7.15b or later', '1.7.15b']],
  'icsma-21-012-01.json': [['Dana Diabecare recommends users update the Dana Diabecare insulin pumps to Version 3.0 or higher', '3.0']],
  'icsma-22-251-01.json': [
    // "included in WBM version 20D30" is a battery-module version for one CVE, not the pump's fix.
    ['According to Baxter, software updates to disable Telnet and FTP', null],
    ['For additional information, see the Baxter Product Security Bulletin.', null],
  ],
  'icsma-23-194-01.json': [
    ['BD Alaris System 12.3 is no longer compatible with the CQI Reporter version 10.17 and earlier', null],
    ['BD Alaris Systems Manager Software version 12.5.1 - Remediates', '12.5.1'],
    ['Calculation Services, version 1.1.1 - Remediates', '1.1.1'],
  ],
};

describe('extractFixedVersion on the fixtures', () => {
  describe.each(Object.keys(EXPECTED))('%s', (file) => {
    const texts = vendorFixTexts(file);

    it('has an expected value for every vendor_fix text', () => {
      const uncovered = texts.filter((t) => !EXPECTED[file].some(([start]) => t.startsWith(start)));
      expect(uncovered).toEqual([]);
      expect(texts).toHaveLength(EXPECTED[file].length);
    });

    it.each(EXPECTED[file])('reads "%s" as %p', (start, expected) => {
      const text = texts.find((t) => t.startsWith(start));
      expect(text).toBeDefined();
      expect(extractFixedVersion(text as string)).toBe(expected);
    });
  });
});

describe('extractFixedVersion phrasings', () => {
  it.each([
    ['update ... to Version X or higher', 'Users should update the pump to Version 3.0 or higher.', '3.0'],
    ['upgrade to vX drops the v', 'Please upgrade to v2.4.1 as soon as possible.', '2.4.1'],
    ['upgrade to software X', 'BD recommends users upgrade to software 028U00093.', '028U00093'],
    ['install software X', 'Install software 028U00093 on all analyzers.', '028U00093'],
    ['version X or later', 'The issue is resolved for devices running version 8.2.2 or later.', '8.2.2'],
    ['version X and above', 'Firmware version 4.1.0 and above is not affected.', '4.1.0'],
    ['Software Version X mitigates', 'Software Version 1.7.15b mitigates reported vulnerabilities.', '1.7.15b'],
    ['fixed in version X', 'This was fixed in version B.06.18.', 'B.06.18'],
    ['a trailing full stop is not part of the version', 'Update to Version 5.2.', '5.2'],
    ['the same version said twice', 'Update to Version 2.0. Version 2.0 fixes the problem.', '2.0'],
  ])('extracts the version from %s', (_label, text, expected) => {
    expect(extractFixedVersion(text)).toBe(expected);
  });

  it.each([
    ['two listed versions', 'IntelliVue Patient Monitors Versions N.00 and N.01'],
    ['a version list after "to versions"', 'Update to versions 2.1 and 2.2.'],
    ['two different targets in one text', 'Update the pump to version 1.2 and the app to version 1.3.'],
    ['a wildcard family', 'Vulnerabilities were remediated for 4.x and above versions.'],
    ['"and earlier" (an affected bound)', 'The CQI Reporter version 10.17 and earlier is no longer compatible.'],
    ['a bare product version without fix wording', 'Patient Information Center iX (PICiX) Version C.03'],
    ['a component version "included in"', 'Updates are included in WBM version 20D30.'],
    ['no version at all', 'Contact a Philips service support team for an upgrade path.'],
    ['the empty string', ''],
  ])('returns null for %s', (_label, text) => {
    expect(extractFixedVersion(text)).toBeNull();
  });

  it('returns null for non-string input instead of throwing', () => {
    expect(extractFixedVersion(undefined as unknown as string)).toBeNull();
    expect(fixedVersionCandidates(42 as unknown as string)).toEqual([]);
  });

  // No stopwatch: 2 MB of version-like text is milliseconds of work for a linear scan, and
  // beyond any test timeout for one that backtracks quadratically (about 10^12 steps).
  it('finishes on a long run of version-like text (no quadratic backtracking)', () => {
    expect(extractFixedVersion('update ' + '1.'.repeat(1_000_000) + 'x or later')).toBeNull();
  });

  it('lists every candidate so callers can combine several remediations', () => {
    expect(fixedVersionCandidates('Update to versions 2.1 and 2.2.')).toEqual(['2.1', '2.2']);
  });
});
