import type { MediaTypeObject, SchemaObject } from '@nestjs/swagger';

/** The request body of POST /devices/import as the OpenAPI document shows it: one schema and example per format. */

const CSV_EXAMPLE =
  'manufacturer,modelNumber,serialNumber,assetTag,udi,firmwareVersion,location,department,systemExposure,missionImpact,safetyImpact\n' +
  'Baxter,35700BAX3,SN-1,BME-1,,8.00.01,ICU / Bed 12,Intensive Care,controlled,mef_failure,catastrophic\n';

// Read as src/inventory/import/fhir-bundle-reader.ts reads it: GET /fhir/Device publishes the same shape.
const FHIR_BUNDLE_EXAMPLE = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    {
      resource: {
        resourceType: 'Device',
        manufacturer: 'Baxter',
        modelNumber: '35700BAX3',
        serialNumber: 'SN-2',
        identifier: [{ type: { text: 'Asset tag' }, value: 'BME-2' }],
        udiCarrier: [{ deviceIdentifier: '00844588003288', issuer: 'http://hl7.org/fhir/NamingSystem/gs1-di', carrierHRF: '(01)00844588003288(21)SN-2' }],
        version: [{ type: { text: 'firmware' }, value: '8.00.01' }],
        location: { display: 'ICU / Bed 13' },
        property: [
          { type: { text: 'systemExposure' }, valueCode: [{ text: 'controlled' }] },
          { type: { text: 'missionImpact' }, valueCode: [{ text: 'mef_failure' }] },
        ],
      },
    },
  ],
};

const text = (description: string): SchemaObject => ({ type: 'string', description });
const codeableConcept: SchemaObject = {
  type: 'object',
  properties: {
    text: { type: 'string' },
    coding: { type: 'array', items: { type: 'object', properties: { system: { type: 'string' }, code: { type: 'string' }, display: { type: 'string' } } } },
  },
};

const FHIR_DEVICE: SchemaObject = {
  type: 'object',
  description: 'A FHIR R4 Device; the elements the import reads (others are ignored).',
  required: ['resourceType', 'serialNumber'],
  properties: {
    resourceType: { type: 'string', enum: ['Device'] },
    manufacturer: text('Manufacturer name or alias; with modelNumber, names the model'),
    modelNumber: text('Model number of that manufacturer'),
    serialNumber: text('Serial number, unique per model'),
    identifier: {
      type: 'array',
      description: 'The one whose type text (or first coding) is "Asset tag" gives the asset tag',
      items: { type: 'object', properties: { type: codeableConcept, value: { type: 'string' } } },
    },
    udiCarrier: {
      type: 'array',
      description: 'The first carrierHRF is the UDI (checked against the model and serial)',
      items: { type: 'object', properties: { deviceIdentifier: { type: 'string' }, issuer: { type: 'string' }, carrierHRF: { type: 'string' } } },
    },
    version: {
      type: 'array',
      description: 'The one typed "firmware" is the firmware version, else the first',
      items: { type: 'object', properties: { type: codeableConcept, value: { type: 'string' } } },
    },
    location: { type: 'object', description: 'Its display is the location', properties: { display: { type: 'string' } } },
    property: {
      type: 'array',
      description:
        'SSVC inputs of the device: the entry whose type text (or first coding code) is systemExposure, missionImpact or safetyImpact ' +
        'sets that field to its valueCode[0] text (or first coding code), checked as on POST /devices; other entries are ignored',
      items: { type: 'object', properties: { type: codeableConcept, valueCode: { type: 'array', items: codeableConcept } } },
    },
  },
};

const FHIR_BUNDLE: SchemaObject = {
  type: 'object',
  description: 'A FHIR R4 Bundle of Device resources (at most 50,000 entries)',
  required: ['resourceType', 'entry'],
  properties: {
    resourceType: { type: 'string', enum: ['Bundle'] },
    type: { type: 'string', example: 'collection' },
    entry: { type: 'array', items: { type: 'object', required: ['resource'], properties: { resource: FHIR_DEVICE } } },
  },
};

const fhir: MediaTypeObject = { schema: FHIR_BUNDLE, examples: { bundle: { summary: 'A Bundle of one Device', value: FHIR_BUNDLE_EXAMPLE } } };

export const DEVICE_IMPORT_CONTENT: Record<string, MediaTypeObject> = {
  'text/csv': {
    schema: text('Header row, then one device per row; columns matched ignoring case'),
    examples: { csv: { summary: 'One device named by manufacturer and model number', value: CSV_EXAMPLE } },
  },
  'application/fhir+json': fhir,
  'application/json': fhir,
};
