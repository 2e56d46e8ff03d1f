import { checkEpssColumns, EpssFormatError, parseEpssHeader, parseEpssRow } from './epss-format';

const failure = (f: () => unknown): EpssFormatError => {
  try {
    f();
  } catch (e) {
    if (e instanceof EpssFormatError) return e;
    throw e;
  }
  throw new Error('expected an EpssFormatError');
};

describe('parseEpssHeader', () => {
  it('reads the model version and score date of the published first line', () => {
    expect(parseEpssHeader('#model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z')).toEqual({
      modelVersion: 'v2025.03.14',
      scoreDate: '2025-08-25T12:55:00Z',
    });
  });

  it('takes the pairs in any order, with spaces, a byte-order mark, a trailing CR and extra pairs', () => {
    expect(parseEpssHeader('\uFEFF#score_date: 2025-08-25T00:00:00+00:00 , model_version: v2023.03.01,rows:296330\r')).toEqual({
      modelVersion: 'v2023.03.01',
      scoreDate: '2025-08-25T00:00:00+00:00',
    });
  });

  it.each([
    ['cve,epss,percentile', 'model_version', /the first line must be/],
    ['#score_date:2025-08-25T12:55:00Z', 'model_version', /is missing/],
    ['#model_version:v1', 'score_date', /is missing/],
    ['#model_version:v1,score_date:2025-08-25', 'score_date', /ISO 8601 date-time with its offset, got "2025-08-25"/],
    ['#model_version:v1,score_date:2025-02-30T00:00:00Z', 'score_date', /got "2025-02-30T00:00:00Z"/],
    ['#model_version:v1,score_date:yesterday', 'score_date', /got "yesterday"/],
    ['#model_version:,score_date:2025-08-25T12:55:00Z', 'model_version', /letters, digits/],
    ['#model_version:v 1;drop,score_date:2025-08-25T12:55:00Z', 'model_version', /letters, digits/],
  ])('refuses %j naming line 1 and %s', (line, field, message) => {
    const e = failure(() => parseEpssHeader(line));
    expect(e.line).toBe(1);
    expect(e.field).toBe(field);
    expect(e.message).toMatch(/^line 1: /);
    expect(e.message).toMatch(message);
  });
});

describe('checkEpssColumns', () => {
  it('takes exactly cve,epss,percentile, in any case and with spaces', () => {
    expect(() => checkEpssColumns(['cve', 'epss', 'percentile'], 2)).not.toThrow();
    expect(() => checkEpssColumns(['CVE', ' epss', 'Percentile '], 2)).not.toThrow();
  });

  it.each([[['cve', 'percentile', 'epss']], [['cve', 'epss']], [['cve', 'epss', 'percentile', 'date']], [['CVE-2019-0708', '0.9', '0.99']]])(
    'refuses the columns %j naming the line and the header',
    (record) => {
      const e = failure(() => checkEpssColumns(record, 2));
      expect(e).toMatchObject({ line: 2, field: 'header' });
      expect(e.message).toContain('must be "cve,epss,percentile"');
    },
  );
});

describe('parseEpssRow', () => {
  it('keeps the values as published, with the line', () => {
    expect(parseEpssRow(['CVE-2019-0708', '0.94466', '0.99959'], 7)).toEqual({ cve: 'CVE-2019-0708', epss: '0.94466', percentile: '0.99959', line: 7 });
  });

  it.each([
    ['0', '1'],
    ['1', '0'],
    ['1.0', '0.5'],
    ['.00036', '0.0'],
    ['0.000000001', '0.99999'],
  ])('takes the probability %s and percentile %s', (epss, percentile) => {
    expect(parseEpssRow(['CVE-2024-123456', epss, percentile], 3)).toMatchObject({ epss, percentile });
  });

  it("takes a CVE number of up to 19 digits, as CISA's schema does", () => {
    expect(parseEpssRow(['CVE-2024-1234567890123456789', '0.1', '0.1'], 3).cve).toBe('CVE-2024-1234567890123456789');
  });

  it.each([
    [['CVE-2019-070', '0.1', '0.1'], 'cve'],
    [['cve-2019-0708', '0.1', '0.1'], 'cve'],
    [['CVE-2019-0708x', '0.1', '0.1'], 'cve'],
    [['', '0.1', '0.1'], 'cve'],
    [['CVE-2024-12345678901234567890', '0.1', '0.1'], 'cve'],
    [['CVE-2019-0708', '1.5', '0.1'], 'epss'],
    [['CVE-2019-0708', '-0.1', '0.1'], 'epss'],
    [['CVE-2019-0708', '1e-5', '0.1'], 'epss'],
    [['CVE-2019-0708', '', '0.1'], 'epss'],
    [['CVE-2019-0708', 'NaN', '0.1'], 'epss'],
    [['CVE-2019-0708', '0.1', '1.01'], 'percentile'],
    [['CVE-2019-0708', '0.1', 'high'], 'percentile'],
    [['CVE-2019-0708', '0.1'], 'row'],
    [['CVE-2019-0708', '0.1', '0.2', '0.3'], 'row'],
  ])('refuses %j naming the line and %s', (record, field) => {
    const e = failure(() => parseEpssRow(record, 42));
    expect(e).toMatchObject({ line: 42, field });
    expect(e.message).toMatch(new RegExp(`^line 42: ${field}: `));
  });

  it('clips a long value in the message', () => {
    expect(failure(() => parseEpssRow(['x'.repeat(500), '0.1', '0.1'], 3)).message.length).toBeLessThan(200);
  });
});
