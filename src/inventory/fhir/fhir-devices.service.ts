import { Injectable } from '@nestjs/common';
import type { Bundle, Device } from '@medplum/fhirtypes';
import { Principal } from '../../auth/role';
import { NotFoundError } from '../../common/domain-errors';
import { decodeCursor, encodeCursor } from '../device-cursor';
import { PatientLinks } from '../patient-links';
import { deviceToFhir, FhirDeviceSource, searchsetBundle } from './device-to-fhir';
import { FhirDeviceFilter, FhirDeviceKey, FhirDeviceRow, FhirDevicesRepository } from './fhir-devices.repository';
import { FhirDeviceSearchDto } from './dto/fhir-device-search.dto';
import { identifierValues, splitOr, statusesFor } from './fhir-search';
import { FhirUrls } from './fhir-urls.decorator';
import { isUuid } from '../../common/uuid';

/** Read-only FHIR R4 view of the inventory: Device read and search. */
@Injectable()
export class FhirDevicesService {
  constructor(
    private readonly devices: FhirDevicesRepository,
    private readonly patientLinks: PatientLinks,
  ) {}

  async read(viewer: Principal, id: string): Promise<Device> {
    // Any other FHIR id is simply not one of ours: 404, as a FHIR server answers.
    const row = isUuid(id) ? await this.devices.findById(id) : null;
    if (!row) throw new NotFoundError('Device', id);
    return deviceToFhir(this.source(viewer, row));
  }

  async search(viewer: Principal, q: FhirDeviceSearchDto, urls: FhirUrls): Promise<Bundle<Device>> {
    const filter = this.filter(q);
    const limit = q._count ?? 50;
    // Sequential, not Promise.all: the embedded database serves every connection on one session.
    const page = await this.devices.page(filter, limit, q._cursor ? this.after(q._cursor) : undefined);
    const total = q._total === 'none' ? undefined : await this.devices.count(filter);
    return searchsetBundle({
      baseUrl: urls.baseUrl,
      devices: page.rows.map((row) => this.source(viewer, row)),
      total,
      selfUrl: urls.selfUrl,
      nextUrl: page.last ? nextUrl(urls.baseUrl, q, encodeCursor({ sort: 'createdAt', value: page.last.createdAt, id: page.last.id })) : undefined,
    });
  }

  /** The row as this viewer may see it: the patient link opened for admin and biomed, gone for everyone else. */
  private source(viewer: Principal, { patientRefSealed, ...row }: FhirDeviceRow): FhirDeviceSource {
    return this.patientLinks.canSee(viewer) ? { ...row, patientRef: this.patientLinks.open({ id: row.id, patientRefSealed }) } : row;
  }

  private filter(q: FhirDeviceSearchDto): FhirDeviceFilter {
    const filter: FhirDeviceFilter = {};
    if (q.identifier) filter.identifiers = identifierValues(q.identifier);
    if (q.manufacturer) filter.manufacturers = splitOr(q.manufacturer);
    if (q.model) filter.models = splitOr(q.model);
    if (q.status) filter.statuses = statusesFor(q.status);
    return filter;
  }

  private after(raw: string): FhirDeviceKey {
    const cursor = decodeCursor(raw, 'createdAt', '_cursor: is not a page token from this search, or is damaged');
    return { createdAt: cursor.value, id: cursor.id };
  }
}

/** The same search with the next page token; the other parameters are carried over as given. */
function nextUrl(baseUrl: string, q: FhirDeviceSearchDto, cursor: string): string {
  const params = new URLSearchParams();
  for (const key of ['identifier', 'manufacturer', 'model', 'status', '_count', '_total'] as const) {
    const value = q[key];
    if (value !== undefined) params.set(key, String(value));
  }
  params.set('_cursor', cursor);
  return `${baseUrl}/Device?${params.toString()}`;
}
