import type { Resource } from '@medplum/fhirtypes';
import { deviceToFhir, FhirDeviceSource, issuerOf, searchsetBundle, UDI_ISSUER } from './device-to-fhir';
import { validateR4 } from '../../../test/support/fhir-r4-validator';

const source = (overrides: Partial<FhirDeviceSource> = {}): FhirDeviceSource => ({
  id: '3f1c7a52-8a8e-4c1b-9d55-0d6c2f0e7a11',
  serialNumber: '10987654d321',
  assetTag: 'BME-10442',
  udi: '(01)00844588003288(17)141120(10)7654321D(21)10987654d321',
  udiDi: '00844588003288',
  lotNumber: '7654321D',
  expirationDate: '2014-11-20',
  manufactureDate: null,
  firmwareVersion: '8.00.01',
  location: 'Building A / ICU / Bed 12',
  status: 'active',
  connectivity: 'online',
  updatedAt: new Date('2025-01-02T03:04:05.678Z'),
  modelName: 'Sigma Spectrum',
  modelNumber: '35700BAX3',
  manufacturerName: 'Baxter',
  ...overrides,
});

/** Fails with every finding in the message, so a broken mapping says what the validator saw. */
function expectValidR4(resource: Resource): void {
  const report = validateR4(resource);
  expect({ errors: report.errors, warnings: report.warnings }).toEqual({ errors: [], warnings: report.warnings });
}

describe('deviceToFhir', () => {
  it('maps every known field of a device to the R4 Device shape', () => {
    expect(deviceToFhir(source())).toEqual({
      resourceType: 'Device',
      id: '3f1c7a52-8a8e-4c1b-9d55-0d6c2f0e7a11',
      meta: { lastUpdated: '2025-01-02T03:04:05.678Z' },
      identifier: [
        {
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'SNO', display: 'Serial Number' }], text: 'Serial number' },
          value: '10987654d321',
        },
        { type: { text: 'Asset tag' }, value: 'BME-10442' },
      ],
      udiCarrier: [
        {
          deviceIdentifier: '00844588003288',
          issuer: 'http://hl7.org/fhir/NamingSystem/gs1-di',
          jurisdiction: 'http://hl7.org/fhir/NamingSystem/fda-udi',
          carrierHRF: '(01)00844588003288(17)141120(10)7654321D(21)10987654d321',
          entryType: 'unknown',
        },
      ],
      status: 'active',
      statusReason: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/device-status-reason', code: 'online', display: 'Online' }] }],
      manufacturer: 'Baxter',
      deviceName: [{ name: 'Sigma Spectrum', type: 'model-name' }],
      modelNumber: '35700BAX3',
      serialNumber: '10987654d321',
      lotNumber: '7654321D',
      expirationDate: '2014-11-20',
      version: [{ type: { text: 'firmware' }, value: '8.00.01' }],
      location: { display: 'Building A / ICU / Bed 12' },
    });
  });

  it('produces a fully populated Device that the R4 validator accepts', () => {
    expectValidR4(deviceToFhir(source({ manufactureDate: '2013-05-01' })));
  });

  it('leaves out what the device does not have and still validates', () => {
    const bare = deviceToFhir(
      source({
        assetTag: null,
        udi: null,
        udiDi: null,
        lotNumber: null,
        expirationDate: null,
        firmwareVersion: null,
        location: null,
        connectivity: 'never_seen',
      }),
    );
    expect(Object.keys(bare)).toEqual(['resourceType', 'id', 'meta', 'identifier', 'status', 'manufacturer', 'deviceName', 'modelNumber', 'serialNumber']);
    expectValidR4(bare);
  });

  it.each([
    ['active', 'active'],
    ['maintenance', 'active'],
    ['decommissioned', 'inactive'],
  ] as const)('maps status %s to FHIR status %s', (status, fhir) => {
    expect(deviceToFhir(source({ status })).status).toBe(fhir);
  });

  it('carries the patient link as a logical Device.patient reference only when the caller was given it', () => {
    const linked = deviceToFhir(source({ patientRef: 'MRN-00412977' }));
    expect(linked.patient).toEqual({ identifier: { value: 'MRN-00412977' } });
    expectValidR4(linked);
    expect(deviceToFhir(source({ patientRef: null })).patient).toBeUndefined();
    expect(deviceToFhir(source()).patient).toBeUndefined();
  });

  it('reports an offline device with status reason offline', () => {
    expect(deviceToFhir(source({ connectivity: 'offline' })).statusReason?.[0].coding?.[0].code).toBe('offline');
  });
});

describe('issuerOf', () => {
  it.each([
    ['GS1', '(01)00844588003288(21)A1', UDI_ISSUER.GS1],
    ['HIBCC', '+H123PARTNO1234567890120/$$420020216LOT123456789012345/SXYZ456789012345678/16D20130202H', UDI_ISSUER.HIBCC],
    ['ICCBBA (PPIC)', '=/W4146EB0010T0475=,000025=A99971312345600=>014032=}013032&,1000000000000XYZ123', UDI_ISSUER.ICCBBA_OTHER],
    ['ICCBBA (blood container)', '=)1TE123456A&)RZ12345678', UDI_ISSUER.ICCBBA_BLOOD],
  ])('names the R4 issuer of %s UDIs', (_kind, udi, issuer) => {
    expect(issuerOf(udi)).toBe(issuer);
  });

  it('gives no issuer for a string that is not a UDI', () => {
    expect(issuerOf('hello world')).toBeUndefined();
  });
});

describe('searchsetBundle', () => {
  it('builds a searchset with total, self and next links and absolute fullUrls, valid under R4', () => {
    const bundle = searchsetBundle({
      baseUrl: 'https://inventory.example/api/v1/fhir',
      devices: [source(), source({ id: '9b2f0c55-1d7e-4a43-8f3e-2f5b7c9d0e12', status: 'decommissioned' })],
      total: 7,
      selfUrl: 'https://inventory.example/api/v1/fhir/Device?_count=2',
      nextUrl: 'https://inventory.example/api/v1/fhir/Device?_count=2&_cursor=abc',
    });
    expect(bundle).toMatchObject({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 7,
      link: [
        { relation: 'self', url: 'https://inventory.example/api/v1/fhir/Device?_count=2' },
        { relation: 'next', url: 'https://inventory.example/api/v1/fhir/Device?_count=2&_cursor=abc' },
      ],
    });
    expect(bundle.entry?.map((e) => [e.fullUrl, e.search?.mode])).toEqual([
      ['https://inventory.example/api/v1/fhir/Device/3f1c7a52-8a8e-4c1b-9d55-0d6c2f0e7a11', 'match'],
      ['https://inventory.example/api/v1/fhir/Device/9b2f0c55-1d7e-4a43-8f3e-2f5b7c9d0e12', 'match'],
    ]);
    expectValidR4(bundle);
  });

  it('omits total when it was not computed and next on the last page', () => {
    const bundle = searchsetBundle({ baseUrl: 'https://h/api/v1/fhir', devices: [], selfUrl: 'https://h/api/v1/fhir/Device?_total=none' });
    expect(bundle).toEqual({
      resourceType: 'Bundle',
      type: 'searchset',
      link: [{ relation: 'self', url: 'https://h/api/v1/fhir/Device?_total=none' }],
      entry: [],
    });
    expectValidR4(bundle);
  });
});

describe('the R4 validator used by these tests', () => {
  it('refuses a Device with an unknown property, a status outside device-status and an unknown v2-0203 code', () => {
    const device = deviceToFhir(source());
    const broken = {
      ...device,
      colour: 'red',
      status: 'broken',
      identifier: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NOPE' }] }, value: 'x' }],
    };
    const report = validateR4(broken as unknown as Resource);
    expect(report.errors).toEqual([
      expect.stringContaining('colour'),
      'Device.identifier[0].type.coding[0]: code "NOPE" is not defined in http://terminology.hl7.org/CodeSystem/v2-0203',
      'Device.status: "broken" is not in the required value set http://hl7.org/fhir/ValueSet/device-status|4.0.1',
    ]);
  });

  it('refuses a deviceName without its required type', () => {
    const report = validateR4({ resourceType: 'Device', deviceName: [{ name: 'x' }] } as unknown as Resource);
    expect(report.errors).toEqual([expect.stringContaining('Device.deviceName[0].type')]);
  });
});
