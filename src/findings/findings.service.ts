import { Injectable } from '@nestjs/common';
import { DevicesService } from '../inventory/devices.service';
import { FindingDto, FindingPageDto, toFinding } from './dto/finding-response.dto';
import { FindingsQueryDto } from './dto/report-query.dto';
import { ReportsRepository } from './reports.repository';

const DEFAULT_PAGE = 100;
/** A device's whole finding history fits one answer: one per advisory of its model, at most. */
const DEVICE_HISTORY_LIMIT = 1000;

/** Findings as people read them: one device's history, or every finding a page at a time. */
@Injectable()
export class FindingsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly devices: DevicesService,
  ) {}

  async forDevice(deviceId: string): Promise<FindingDto[]> {
    await this.devices.get(deviceId);
    return (await this.reports.findings({ deviceId, limit: DEVICE_HISTORY_LIMIT })).map(toFinding);
  }

  /** Newest first; a full page carries the cursor of the next one (the last finding's id). */
  async page(query: FindingsQueryDto): Promise<FindingPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.reports.findings({ ...query, limit });
    return { items: rows.map(toFinding), nextCursor: rows.length === limit ? rows[rows.length - 1].id : null };
  }
}
