/**
 * Reads a FHIR R4 Bundle of Device resources into import rows: the inverse of what
 * GET /fhir/Device publishes (src/inventory/fhir/device-to-fhir.ts). Pure.
 *
 *   Device.manufacturer / modelNumber   -> the model, by manufacturer name or alias
 *   Device.serialNumber                 -> serialNumber
 *   Device.udiCarrier[0].carrierHRF     -> udi
 *   Device.version[]                    -> firmwareVersion: the one typed "firmware", else the first
 *   Device.identifier[] typed Asset tag -> assetTag
 *   Device.location.display             -> location
 * A Device has no department; other elements (lotNumber, expirationDate...) come from the UDI.
 */
import { InvalidInputError } from '../../common/domain-errors';
import { ASSET_TAG_IDENTIFIER_TYPE, FIRMWARE_VERSION_TYPE } from '../fhir/device-to-fhir';
import { ImportRow, MAX_IMPORT_ROWS, ReadResult, RowError, tooManyRows } from './import-row';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readFhirBundle(body: unknown): ReadResult {
  if (!isObject(body) || body.resourceType !== 'Bundle') {
    throw new InvalidInputError('body: expected a FHIR R4 Bundle of Device resources (resourceType "Bundle") or a text/csv file');
  }
  if (body.entry !== undefined && !Array.isArray(body.entry)) throw new InvalidInputError('entry: must be an array');
  const entries = (body.entry as unknown[] | undefined) ?? [];
  if (!entries.length) throw new InvalidInputError('body: the Bundle has no entries');
  if (entries.length > MAX_IMPORT_ROWS) throw tooManyRows(entries.length);

  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  entries.forEach((entry, index) => {
    const row = index + 1;
    const resource = isObject(entry) ? entry.resource : undefined;
    if (!isObject(resource) || resource.resourceType !== 'Device') {
      errors.push({ row, field: 'resource', message: 'must be a Device resource' });
      return;
    }
    const read = readDevice(resource, row);
    if (typeof read === 'string') errors.push({ row, field: null, message: read });
    else rows.push(read);
  });
  return { rows, errors };
}

function readDevice(device: Json, row: number): ImportRow | string {
  const out: ImportRow = { row, values: {}, names: {} };
  const set = (field: keyof ImportRow['values'], name: string, value: unknown) => {
    out.names[field] = name;
    if (value !== undefined) out.values[field] = value;
  };
  set('manufacturer', 'manufacturer', device.manufacturer);
  set('modelNumber', 'modelNumber', device.modelNumber);
  set('serialNumber', 'serialNumber', device.serialNumber);

  for (const key of ['udiCarrier', 'version', 'identifier'] as const) {
    if (device[key] !== undefined && !Array.isArray(device[key])) return `${key}: must be an array`;
  }
  const carriers = (device.udiCarrier as unknown[] | undefined) ?? [];
  set('udi', 'udiCarrier[0].carrierHRF', isObject(carriers[0]) ? carriers[0].carrierHRF : undefined);

  const versions = (device.version as unknown[] | undefined) ?? [];
  const firmware = Math.max(
    0,
    versions.findIndex((v) => isObject(v) && typeText(v.type) === FIRMWARE_VERSION_TYPE),
  );
  set('firmwareVersion', `version[${firmware}].value`, isObject(versions[firmware]) ? versions[firmware].value : undefined);

  const identifiers = (device.identifier as unknown[] | undefined) ?? [];
  const tag = identifiers.findIndex((i) => isObject(i) && typeText(i.type) === ASSET_TAG_IDENTIFIER_TYPE.toLowerCase());
  set('assetTag', `identifier[${Math.max(tag, 0)}].value`, tag >= 0 ? (identifiers[tag] as Json).value : undefined);

  set('location', 'location.display', isObject(device.location) ? device.location.display : undefined);

  // SSVC inputs as Device.property: type.text (or its first coding's code) names the input,
  // valueCode[0].text (or its first coding's code) gives the value.
  if (device.property !== undefined && !Array.isArray(device.property)) return 'property: must be an array';
  ((device.property as unknown[] | undefined) ?? []).forEach((p, i) => {
    if (!isObject(p)) return;
    const field = SSVC_PROPERTIES.get(typeText(p.type) ?? '');
    if (!field) return;
    const codes = Array.isArray(p.valueCode) ? p.valueCode : [];
    set(field, `property[${i}].valueCode[0]`, codeOf(codes[0]));
  });
  return out;
}

const SSVC_PROPERTIES = new Map<string, 'systemExposure' | 'missionImpact' | 'safetyImpact'>([
  ['systemexposure', 'systemExposure'],
  ['missionimpact', 'missionImpact'],
  ['safetyimpact', 'safetyImpact'],
]);

/** A CodeableConcept's text, else its first coding's code, as given (validated later as the DTO's value). */
function codeOf(concept: unknown): unknown {
  if (!isObject(concept)) return concept;
  if (concept.text !== undefined) return concept.text;
  const coding = Array.isArray(concept.coding) ? concept.coding.find(isObject) : undefined;
  return coding?.code;
}

/** A CodeableConcept's text, or its first coding's code or display, lower-cased. */
function typeText(type: unknown): string | undefined {
  if (!isObject(type)) return undefined;
  if (typeof type.text === 'string') return type.text.trim().toLowerCase();
  const coding = Array.isArray(type.coding) ? type.coding.find(isObject) : undefined;
  const label = coding?.code ?? coding?.display;
  return typeof label === 'string' ? label.trim().toLowerCase() : undefined;
}
