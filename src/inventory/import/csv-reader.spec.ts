import { readCsv } from './csv-reader';
import { MAX_IMPORT_ROWS } from './import-row';

describe('readCsv', () => {
  it('reads columns in any order and any case, one row per record, empty cells left out', () => {
    const result = readCsv('SerialNumber,MANUFACTURER,modelNumber,firmwareVersion\nSN-1,Baxter,35700BAX3,8.00.01\nSN-2,Baxter,35700BAX3,\n');
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => [r.row, r.values])).toEqual([
      [1, { serialNumber: 'SN-1', manufacturer: 'Baxter', modelNumber: '35700BAX3', firmwareVersion: '8.00.01' }],
      [2, { serialNumber: 'SN-2', manufacturer: 'Baxter', modelNumber: '35700BAX3' }],
    ]);
    expect(result.rows[0].names).toEqual({
      serialNumber: 'serialNumber',
      manufacturer: 'manufacturer',
      modelNumber: 'modelNumber',
      firmwareVersion: 'firmwareVersion',
    });
  });

  it('keeps quoted commas and line breaks inside a field, and drops a byte-order mark', () => {
    const result = readCsv('\ufeffmodelId,serialNumber,location\r\n3f1c7a52-8a8e-4c1b-9d55-0d6c2f0e7a11,SN-1,"ICU, Bed 1\nwindow side"\r\n');
    expect(result.rows[0].values).toEqual({ modelId: '3f1c7a52-8a8e-4c1b-9d55-0d6c2f0e7a11', serialNumber: 'SN-1', location: 'ICU, Bed 1\nwindow side' });
  });

  it('skips a row of empty cells but keeps the numbers of the rows after it', () => {
    const result = readCsv('modelId,serialNumber\nm,SN-1\n,\nm,SN-3\n');
    expect(result.rows.map((r) => r.row)).toEqual([1, 3]);
  });

  it('names the data row and line of an unclosed quote', () => {
    const result = readCsv('modelId,serialNumber\nm,SN-1\nm,"SN-2\nm,SN-3\n');
    expect(result).toEqual({
      rows: [],
      errors: [{ row: 2, field: null, message: 'the CSV cannot be read: Quote Not Closed: the parsing is finished with an opening quote at line 4' }],
    });
  });

  it('names the data row of a record with too many fields', () => {
    const result = readCsv('modelId,serialNumber\nm,SN-1\nm,SN-2,extra\n');
    expect(result.errors).toEqual([{ row: 2, field: null, message: 'the CSV cannot be read: Invalid Record Length: expect 2, got 3 on line 3' }]);
  });

  it('names the data row of a stray quote after a quoted field', () => {
    const result = readCsv('modelId,serialNumber\n"m"x,SN-1\n');
    expect(result.errors).toEqual([{ row: 1, field: null, message: expect.stringContaining('Invalid Closing Quote') }]);
  });

  it.each([
    ['an empty file', '', 'body: the file is empty'],
    ['a file of blank lines', '\n\n  \n', 'body: the file is empty'],
    ['a header without rows', 'modelId,serialNumber\n', 'body: the file has a header but no device rows'],
    [
      'an unknown column',
      'modelId,serialNumber,colour\nm,s,red\n',
      'header: unknown column "colour"; the columns are manufacturer, modelNumber, modelId, serialNumber, assetTag, udi, firmwareVersion, location, department, systemExposure, missionImpact, safetyImpact',
    ],
    ['a repeated column', 'modelId,serialNumber,serialnumber\nm,s,t\n', 'header: column "serialNumber" appears twice'],
    ['no serialNumber column', 'modelId,assetTag\nm,t\n', 'header: column "serialNumber" is required'],
    ['no model columns', 'manufacturer,serialNumber\nBaxter,s\n', 'header: name the model with columns "manufacturer" and "modelNumber", or with "modelId"'],
    [
      'a broken header',
      '"modelId,serialNumber\nm,s\n',
      'header: the CSV cannot be read: Quote Not Closed: the parsing is finished with an opening quote at line 2',
    ],
  ])('refuses %s as a whole', (_case, text, message) => {
    expect(() => readCsv(text)).toThrow(message);
  });

  it(`refuses more than ${MAX_IMPORT_ROWS} data rows`, () => {
    const text = `modelId,serialNumber\n${'m,s\n'.repeat(MAX_IMPORT_ROWS + 1)}`;
    expect(() => readCsv(text)).toThrow(`body: ${MAX_IMPORT_ROWS + 1} devices; at most ${MAX_IMPORT_ROWS} can be imported at once, split the file`);
  });

  it(`accepts exactly ${MAX_IMPORT_ROWS} data rows`, () => {
    expect(readCsv(`modelId,serialNumber\n${'m,s\n'.repeat(MAX_IMPORT_ROWS)}`).rows).toHaveLength(MAX_IMPORT_ROWS);
  });
});
