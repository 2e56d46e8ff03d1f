import type { SchemaObject } from '@nestjs/swagger';

/**
 * The FHIR R4 resources GET /fhir/Device answers, as src/inventory/fhir/device-to-fhir.ts builds
 * them: the elements it writes, typed as R4 defines them (https://hl7.org/fhir/R4/device.html).
 */

const str: SchemaObject = { type: 'string' };
const coding: SchemaObject = { type: 'object', properties: { system: str, code: str, display: str } };
const codeableConcept: SchemaObject = { type: 'object', properties: { coding: { type: 'array', items: coding }, text: str } };

export const FHIR_DEVICE_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'FHIR R4 Device',
  required: ['resourceType', 'id'],
  properties: {
    resourceType: { type: 'string', enum: ['Device'] },
    id: { type: 'string', format: 'uuid' },
    meta: { type: 'object', properties: { lastUpdated: { type: 'string', format: 'date-time' } } },
    identifier: {
      type: 'array',
      description: 'The serial number (v2-0203 SNO) and, when set, the asset tag (type text "Asset tag")',
      items: { type: 'object', properties: { type: codeableConcept, value: str } },
    },
    udiCarrier: {
      type: 'array',
      items: {
        type: 'object',
        properties: { deviceIdentifier: str, issuer: str, jurisdiction: str, carrierHRF: str, entryType: { type: 'string', enum: ['unknown'] } },
      },
    },
    status: { type: 'string', enum: ['active', 'inactive'], description: 'inactive: decommissioned' },
    statusReason: { type: 'array', description: 'online or offline, from heartbeats', items: codeableConcept },
    manufacturer: str,
    deviceName: { type: 'array', items: { type: 'object', properties: { name: str, type: { type: 'string', enum: ['model-name'] } } } },
    modelNumber: str,
    serialNumber: str,
    lotNumber: str,
    expirationDate: { type: 'string', format: 'date' },
    manufactureDate: { type: 'string', format: 'date' },
    version: { type: 'array', description: 'The firmware, typed "firmware"', items: { type: 'object', properties: { type: codeableConcept, value: str } } },
    location: { type: 'object', description: 'A free-text place (display only)', properties: { display: str } },
    patient: {
      type: 'object',
      description: "The hospital's patient identifier (admin and biomed only)",
      properties: { identifier: { type: 'object', properties: { value: str } } },
    },
  },
};

export const FHIR_SEARCHSET_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'FHIR R4 Bundle of type searchset',
  required: ['resourceType', 'type'],
  properties: {
    resourceType: { type: 'string', enum: ['Bundle'] },
    type: { type: 'string', enum: ['searchset'] },
    total: { type: 'integer', description: 'Absent with _total=none' },
    link: { type: 'array', items: { type: 'object', properties: { relation: { type: 'string', enum: ['self', 'next'] }, url: str } } },
    entry: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          fullUrl: str,
          resource: FHIR_DEVICE_SCHEMA,
          search: { type: 'object', properties: { mode: { type: 'string', enum: ['match'] } } },
        },
      },
    },
  },
};
