import { DeviceModelEntity } from '../entities/device-model.entity';
import { ImportRow } from './import-row';
import { bindModels, BoundRow, checkFields, ModelLookup, modelReferences, nameKey, planDevices, serialKey } from './import-rules';

const MODEL_ID = '3f1c7a52-8a8e-4c1b-9d55-0d6c2f0e7a11';
const OTHER_ID = '9b2f0c55-1d7e-4a43-8f3e-2f5b7c9d0e12';

const model = (id: string, gtin: string | null = null): DeviceModelEntity =>
  Object.assign(new DeviceModelEntity(), { id, manufacturerId: 'f', modelNumber: 'X', name: 'X', category: 'facility', gtin });

const csvRow = (row: number, values: ImportRow['values']): ImportRow => ({
  row,
  values,
  names: Object.fromEntries(Object.keys(values).map((k) => [k, k])),
});

function bound(rows: ImportRow[], lookup: ModelLookup): BoundRow[] {
  const fields = checkFields(rows);
  expect(fields.errors).toEqual([]);
  const result = bindModels(fields.passed, lookup);
  expect(result.errors).toEqual([]);
  return result.bound;
}

const noneTaken = { serials: new Set<string>(), assetTags: new Set<string>() };
const byIdLookup = (...models: DeviceModelEntity[]): ModelLookup => ({ byId: new Map(models.map((m) => [m.id, m])), byName: new Map() });

describe('checkFields', () => {
  it('applies the CreateDeviceDto rules and names each field as the file does', () => {
    const row: ImportRow = {
      row: 4,
      values: { modelId: 'abc', serialNumber: 42, firmwareVersion: ' 1.0' },
      names: { modelId: 'modelId', serialNumber: 'serialNumber', firmwareVersion: 'version[0].value' },
    };
    const { passed, errors } = checkFields([row]);
    expect(passed).toEqual([]);
    expect(errors).toEqual([
      { row: 4, field: 'modelId', message: 'must be a UUID' },
      { row: 4, field: 'serialNumber', message: 'must be shorter than or equal to 100 characters' },
      { row: 4, field: 'serialNumber', message: 'must be a string' },
      { row: 4, field: 'version[0].value', message: 'must be 1-100 printable characters without leading or trailing spaces' },
    ]);
  });

  it('does not ask for a modelId when the row names its model', () => {
    const { passed, errors } = checkFields([csvRow(1, { manufacturer: 'Baxter', modelNumber: 'X', serialNumber: 'S' })]);
    expect([passed.length, errors]).toEqual([1, []]);
  });

  it('wants manufacturer and modelNumber together when there is no modelId', () => {
    const { errors } = checkFields([csvRow(1, { manufacturer: 'Baxter', serialNumber: 'S' })]);
    expect(errors).toEqual([{ row: 1, field: 'modelNumber', message: 'is required (or give modelId)' }]);
  });

  it('refuses a row that names its model both ways', () => {
    const { errors } = checkFields([csvRow(2, { modelId: MODEL_ID, manufacturer: 'Baxter', modelNumber: 'X', serialNumber: 'S' })]);
    expect(errors).toEqual([{ row: 2, field: 'modelId', message: 'give either modelId or manufacturer and modelNumber, not both' }]);
  });

  it('refuses a manufacturer that is not a string', () => {
    const { errors } = checkFields([csvRow(1, { manufacturer: 7, modelNumber: 'X', serialNumber: 'S' })]);
    expect(errors).toEqual([{ row: 1, field: 'manufacturer', message: 'must be a non-empty string' }]);
  });
});

describe('modelReferences', () => {
  it('collects each model id and each manufacturer/model pair once, ignoring case and spaces', () => {
    const refs = modelReferences([
      { source: csvRow(1, { modelId: MODEL_ID }) },
      { source: csvRow(2, { modelId: MODEL_ID }) },
      { source: csvRow(3, { manufacturer: 'Baxter ', modelNumber: 'x1' }) },
      { source: csvRow(4, { manufacturer: 'BAXTER', modelNumber: 'X1' }) },
    ]);
    expect(refs).toEqual({ ids: [MODEL_ID], names: [{ manufacturer: 'Baxter', modelNumber: 'x1' }] });
  });
});

describe('bindModels', () => {
  const rows = (...values: ImportRow['values'][]) => checkFields(values.map((v, i) => csvRow(i + 1, v))).passed;

  it('binds a model named by manufacturer and number, filling in its id', () => {
    const lookup: ModelLookup = {
      byId: new Map(),
      byName: new Map([[nameKey({ manufacturer: 'baxter', modelNumber: 'x' }), { manufacturerFound: true, models: [model(MODEL_ID)] }]]),
    };
    const result = bindModels(rows({ manufacturer: 'Baxter', modelNumber: 'X', serialNumber: 'S' }), lookup);
    expect(result.bound.map((b) => [b.model.id, b.dto.modelId])).toEqual([[MODEL_ID, MODEL_ID]]);
  });

  it('tells an unknown manufacturer, an unknown model, an ambiguous name and an unknown model id apart', () => {
    const lookup: ModelLookup = {
      byId: new Map(),
      byName: new Map([
        [nameKey({ manufacturer: 'nobody', modelNumber: 'x' }), { manufacturerFound: false, models: [] }],
        [nameKey({ manufacturer: 'baxter', modelNumber: 'nope' }), { manufacturerFound: true, models: [] }],
        [nameKey({ manufacturer: 'shared', modelNumber: 'x' }), { manufacturerFound: true, models: [model(MODEL_ID), model(OTHER_ID)] }],
      ]),
    };
    const result = bindModels(
      rows(
        { manufacturer: 'Nobody', modelNumber: 'X', serialNumber: 'S' },
        { manufacturer: 'Baxter', modelNumber: 'nope', serialNumber: 'S' },
        { manufacturer: 'Shared', modelNumber: 'X', serialNumber: 'S' },
        { modelId: OTHER_ID, serialNumber: 'S' },
      ),
      lookup,
    );
    expect(result.errors).toEqual([
      { row: 1, field: 'manufacturer', message: 'no manufacturer named "Nobody" (name or alias, ignoring case)' },
      { row: 2, field: 'modelNumber', message: 'manufacturer "Baxter" has no model "nope"' },
      { row: 3, field: 'manufacturer', message: '"Shared" names more than one manufacturer with a model "X"; use modelId' },
      { row: 4, field: 'modelId', message: `no device model ${OTHER_ID}` },
    ]);
  });
});

describe('planDevices', () => {
  it('derives lot, expiry and device identifier from the UDI and trims serial and asset tag', () => {
    const rows = bound(
      [
        csvRow(1, {
          modelId: MODEL_ID,
          serialNumber: ' 10987654d321 ',
          assetTag: ' BME-1 ',
          udi: '(01)00844588003288(17)141120(10)7654321D',
          firmwareVersion: '2.4.1',
          location: 'ICU',
          department: 'Intensive Care',
        }),
      ],
      byIdLookup(model(MODEL_ID, '00844588003288')),
    );
    expect(planDevices(rows, noneTaken)).toEqual({
      errors: [],
      devices: [
        {
          row: 1,
          modelId: MODEL_ID,
          serialNumber: '10987654d321',
          assetTag: 'BME-1',
          udi: '(01)00844588003288(17)141120(10)7654321D',
          udiDi: '00844588003288',
          lotNumber: '7654321D',
          expirationDate: '2014-11-20',
          manufactureDate: null,
          firmwareVersion: '2.4.1',
          location: 'ICU',
          department: 'Intensive Care',
          // Bulk import does not read the SSVC inputs yet: set them afterwards (PATCH), or they are assumed.
          systemExposure: null,
          missionImpact: null,
          safetyImpact: null,
        },
      ],
    });
  });

  it('refuses a UDI that disagrees with the model GTIN, the serial, or its check digit', () => {
    const rows = bound(
      [
        csvRow(1, { modelId: MODEL_ID, serialNumber: 'A1', udi: '(01)00614141999996(21)A1' }),
        csvRow(2, { modelId: MODEL_ID, serialNumber: 'A2', udi: '(01)00844588003288(21)ZZZ' }),
        csvRow(3, { modelId: MODEL_ID, serialNumber: 'A3', udi: '(01)00844588003281(21)A3' }),
      ],
      byIdLookup(model(MODEL_ID, '00844588003288')),
    );
    const { errors } = planDevices(rows, noneTaken);
    expect(errors).toEqual([
      { row: 1, field: 'udi', message: "device identifier 00614141999996 does not match the model's GTIN 00844588003288" },
      { row: 2, field: 'udi', message: 'serial ZZZ in the UDI does not match serialNumber A2' },
      { row: 3, field: 'udi', message: expect.stringMatching(/check digit/i) },
    ]);
  });

  it('refuses the later of two rows with the same serial for the same model, pointing at the earlier', () => {
    const rows = bound(
      [
        csvRow(1, { modelId: MODEL_ID, serialNumber: 'S' }),
        csvRow(2, { modelId: OTHER_ID, serialNumber: 'S' }),
        csvRow(3, { modelId: MODEL_ID, serialNumber: 'S ' }),
      ],
      byIdLookup(model(MODEL_ID), model(OTHER_ID)),
    );
    expect(planDevices(rows, noneTaken).errors).toEqual([{ row: 3, field: 'serialNumber', message: '"S" is already in row 1 for the same model' }]);
  });

  it('refuses the later of two rows with the same asset tag, whatever their models', () => {
    const rows = bound(
      [csvRow(1, { modelId: MODEL_ID, serialNumber: 'S1', assetTag: 'T' }), csvRow(2, { modelId: OTHER_ID, serialNumber: 'S2', assetTag: 'T' })],
      byIdLookup(model(MODEL_ID), model(OTHER_ID)),
    );
    expect(planDevices(rows, noneTaken).errors).toEqual([{ row: 2, field: 'assetTag', message: '"T" is already in row 1' }]);
  });

  it('refuses serials and asset tags the inventory already holds', () => {
    const rows = bound([csvRow(1, { modelId: MODEL_ID, serialNumber: 'S1', assetTag: 'T1' })], byIdLookup(model(MODEL_ID)));
    const taken = { serials: new Set([serialKey(MODEL_ID, 'S1')]), assetTags: new Set(['T1']) };
    expect(planDevices(rows, taken).errors).toEqual([
      { row: 1, field: 'serialNumber', message: 'a device of this model with serial "S1" is already registered' },
      { row: 1, field: 'assetTag', message: 'another device already has asset tag "T1"' },
    ]);
  });
});
