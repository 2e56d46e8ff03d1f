/**
 * Our device as an HL7 FHIR R4 Device resource, and search results as a searchset Bundle.
 * Pure: no Nest or TypeORM. Every resource built here is checked by the R4 validator in tests.
 */
import type { Bundle, BundleEntry, BundleLink, CodeableConcept, Device, DeviceUdiCarrier, Identifier } from '@medplum/fhirtypes';
import type { Connectivity, DeviceStatus } from '../entities/device.entity';
import { parseUdi } from '../udi';

/** What the mapping needs: a device row with its model's and manufacturer's names. */
export interface FhirDeviceSource {
  id: string;
  serialNumber: string;
  assetTag: string | null;
  udi: string | null;
  udiDi: string | null;
  lotNumber: string | null;
  /** ISO YYYY-MM-DD */
  expirationDate: string | null;
  /** ISO YYYY-MM-DD */
  manufactureDate: string | null;
  firmwareVersion: string | null;
  location: string | null;
  status: DeviceStatus;
  connectivity: Connectivity;
  updatedAt: Date;
  modelName: string;
  modelNumber: string;
  manufacturerName: string;
  /** Set only when the caller may see the patient link (admin, biomed); null: no patient. */
  patientRef?: string | null;
}

/** R4 issuer names (Device.udiCarrier.issuer definition, FHIR 4.0.1). */
export const UDI_ISSUER = {
  GS1: 'http://hl7.org/fhir/NamingSystem/gs1-di',
  HIBCC: 'http://hl7.org/fhir/NamingSystem/hibcc-dI',
  ICCBBA_BLOOD: 'http://hl7.org/fhir/NamingSystem/iccbba-blood-di',
  ICCBBA_OTHER: 'http://hl7.org/fhir/NamingSystem/iccbba-other-di',
} as const;
const FDA_UDI_JURISDICTION = 'http://hl7.org/fhir/NamingSystem/fda-udi';

/** Text of the version type under which firmware is published and read back on import. */
export const FIRMWARE_VERSION_TYPE = 'firmware';
/** Text of the identifier type of the hospital's asset tag (HL7 v2-0203 has no code for it). */
export const ASSET_TAG_IDENTIFIER_TYPE = 'Asset tag';

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const STATUS_REASON = 'http://terminology.hl7.org/CodeSystem/device-status-reason';

/** maintenance is still the hospital's device in service; FHIR has no finer availability status. */
const FHIR_STATUS: Record<DeviceStatus, 'active' | 'inactive'> = {
  active: 'active',
  maintenance: 'active',
  decommissioned: 'inactive',
};

export function deviceToFhir(d: FhirDeviceSource): Device {
  const device: Device = {
    resourceType: 'Device',
    id: d.id,
    meta: { lastUpdated: d.updatedAt.toISOString() },
    identifier: identifiers(d),
  };
  const carrier = udiCarrier(d);
  if (carrier) device.udiCarrier = [carrier];
  device.status = FHIR_STATUS[d.status];
  const reason = statusReason(d.connectivity);
  if (reason) device.statusReason = [reason];
  device.manufacturer = d.manufacturerName;
  device.deviceName = [{ name: d.modelName, type: 'model-name' }];
  device.modelNumber = d.modelNumber;
  device.serialNumber = d.serialNumber;
  if (d.lotNumber) device.lotNumber = d.lotNumber;
  if (d.expirationDate) device.expirationDate = d.expirationDate;
  if (d.manufactureDate) device.manufactureDate = d.manufactureDate;
  if (d.firmwareVersion) device.version = [{ type: { text: FIRMWARE_VERSION_TYPE }, value: d.firmwareVersion }];
  // A free-text place, not a managed Location resource: a display-only reference.
  if (d.location) device.location = { display: d.location };
  // The hospital's patient identifier, not a Patient resource we serve: a logical reference.
  if (d.patientRef) device.patient = { identifier: { value: d.patientRef } };
  return device;
}

function identifiers(d: FhirDeviceSource): Identifier[] {
  const list: Identifier[] = [{ type: { coding: [{ system: V2_0203, code: 'SNO', display: 'Serial Number' }], text: 'Serial number' }, value: d.serialNumber }];
  if (d.assetTag) list.push({ type: { text: ASSET_TAG_IDENTIFIER_TYPE }, value: d.assetTag });
  return list;
}

function udiCarrier(d: FhirDeviceSource): DeviceUdiCarrier | undefined {
  if (!d.udi) return undefined;
  const carrier: DeviceUdiCarrier = {};
  if (d.udiDi) carrier.deviceIdentifier = d.udiDi;
  const issuer = issuerOf(d.udi);
  if (issuer) carrier.issuer = issuer;
  carrier.jurisdiction = FDA_UDI_JURISDICTION;
  carrier.carrierHRF = d.udi;
  // The API does not record whether a person typed the UDI or a scanner read it.
  carrier.entryType = 'unknown';
  return carrier;
}

/**
 * The issuer is not stored; the UDI was parsed strictly when written, so parsing it again
 * gives it back. A UDI that a later, stricter parser refuses gets no issuer rather than a guess.
 */
export function issuerOf(udi: string): string | undefined {
  const parsed = parseUdi(udi);
  if (!parsed.ok) return undefined;
  if (parsed.udi.issuer === 'GS1') return UDI_ISSUER.GS1;
  if (parsed.udi.issuer === 'HIBCC') return UDI_ISSUER.HIBCC;
  // ISBT 128: a PPIC (=/) identifies a medical product of human origin; without one, the DI is a blood-container code.
  return udi.includes('=/') ? UDI_ISSUER.ICCBBA_OTHER : UDI_ISSUER.ICCBBA_BLOOD;
}

function statusReason(connectivity: Connectivity): CodeableConcept | undefined {
  if (connectivity === 'online') return { coding: [{ system: STATUS_REASON, code: 'online', display: 'Online' }] };
  if (connectivity === 'offline') return { coding: [{ system: STATUS_REASON, code: 'offline', display: 'Offline' }] };
  return undefined;
}

export interface SearchsetInput {
  /** Absolute base of the FHIR endpoint, e.g. https://host/api/v1/fhir */
  baseUrl: string;
  devices: FhirDeviceSource[];
  /** Omitted when the client asked for _total=none. */
  total?: number;
  selfUrl: string;
  nextUrl?: string;
}

export function searchsetBundle(input: SearchsetInput): Bundle<Device> {
  const link: BundleLink[] = [{ relation: 'self', url: input.selfUrl }];
  if (input.nextUrl) link.push({ relation: 'next', url: input.nextUrl });
  const entry: BundleEntry<Device>[] = input.devices.map((d) => ({
    fullUrl: `${input.baseUrl}/Device/${d.id}`,
    resource: deviceToFhir(d),
    search: { mode: 'match' },
  }));
  const bundle: Bundle<Device> = { resourceType: 'Bundle', type: 'searchset' };
  if (input.total !== undefined) bundle.total = input.total;
  bundle.link = link;
  bundle.entry = entry;
  return bundle;
}
