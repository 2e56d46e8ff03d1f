import { readFhirBundle } from './fhir-bundle-reader';

const bundle = (...resources: unknown[]) => ({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) });

describe('readFhirBundle', () => {
  it('maps a Device as GET /fhir/Device publishes it', () => {
    const result = readFhirBundle(
      bundle({
        resourceType: 'Device',
        identifier: [
          { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'SNO' }] }, value: 'SN-1' },
          { type: { text: 'Asset tag' }, value: 'BME-1' },
        ],
        udiCarrier: [{ deviceIdentifier: '00844588003288', carrierHRF: '(01)00844588003288(21)SN-1' }],
        manufacturer: 'Baxter',
        deviceName: [{ name: 'Sigma Spectrum', type: 'model-name' }],
        modelNumber: '35700BAX3',
        serialNumber: 'SN-1',
        version: [
          { type: { text: 'hardware' }, value: 'B' },
          { type: { text: 'firmware' }, value: '8.00.01' },
        ],
        location: { display: 'ICU / Bed 12' },
      }),
    );
    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual([
      {
        row: 1,
        values: {
          manufacturer: 'Baxter',
          modelNumber: '35700BAX3',
          serialNumber: 'SN-1',
          udi: '(01)00844588003288(21)SN-1',
          firmwareVersion: '8.00.01',
          assetTag: 'BME-1',
          location: 'ICU / Bed 12',
        },
        names: {
          manufacturer: 'manufacturer',
          modelNumber: 'modelNumber',
          serialNumber: 'serialNumber',
          udi: 'udiCarrier[0].carrierHRF',
          firmwareVersion: 'version[1].value',
          assetTag: 'identifier[1].value',
          location: 'location.display',
        },
      },
    ]);
  });

  it('takes a version typed by a firmware coding', () => {
    const result = readFhirBundle(bundle({ resourceType: 'Device', version: [{ value: '1' }, { type: { coding: [{ code: 'firmware' }] }, value: '2.0' }] }));
    expect(result.rows[0].values.firmwareVersion).toBe('2.0');
  });

  it('takes the first version when none is typed firmware', () => {
    const result = readFhirBundle(bundle({ resourceType: 'Device', version: [{ value: '3.1' }, { type: { text: 'hardware' }, value: 'B' }] }));
    expect([result.rows[0].values.firmwareVersion, result.rows[0].names.firmwareVersion]).toEqual(['3.1', 'version[0].value']);
  });

  it('leaves out what the Device does not have', () => {
    expect(readFhirBundle(bundle({ resourceType: 'Device', serialNumber: 'S' })).rows[0].values).toEqual({ serialNumber: 'S' });
  });

  it('passes wrongly typed values on for the field rules to name', () => {
    expect(readFhirBundle(bundle({ resourceType: 'Device', serialNumber: 42 })).rows[0].values).toEqual({ serialNumber: 42 });
  });

  it('reports an entry that is not a Device, and a Device whose list elements are not arrays, by entry number', () => {
    const result = readFhirBundle(bundle({ resourceType: 'Patient' }, { resourceType: 'Device', version: { value: '1' } }));
    expect(result).toEqual({
      rows: [],
      errors: [
        { row: 1, field: 'resource', message: 'must be a Device resource' },
        { row: 2, field: null, message: 'version: must be an array' },
      ],
    });
  });

  it.each([
    ['a JSON body that is not a Bundle', { resourceType: 'Device' }, 'body: expected a FHIR R4 Bundle of Device resources'],
    ['an array', [], 'body: expected a FHIR R4 Bundle'],
    ['a Bundle without entries', { resourceType: 'Bundle', type: 'collection' }, 'body: the Bundle has no entries'],
    ['a Bundle whose entry is not an array', { resourceType: 'Bundle', entry: {} }, 'entry: must be an array'],
  ])('refuses %s as a whole', (_case, body, message) => {
    expect(() => readFhirBundle(body)).toThrow(message);
  });
});
