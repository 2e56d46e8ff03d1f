import { Injectable } from '@nestjs/common';
import type { Bundle, Task } from '@medplum/fhirtypes';
import { Principal } from '../../access/role';
import { NotFoundError } from '../../common/domain-errors';
import { isUuid } from '../../common/uuid';
import type { FhirUrls } from '../../inventory/fhir/fhir-urls.decorator';
import { WorkOrdersService } from '../work-orders.service';
import { FhirTaskSearchDto } from './fhir-task-search.dto';
import { taskSearchset, workOrderToTask } from './work-order-to-fhir';

/** Read-only FHIR R4 view of the work orders: Task read and search. */
@Injectable()
export class FhirTasksService {
  constructor(private readonly orders: WorkOrdersService) {}

  async read(viewer: Principal, id: string): Promise<Task> {
    if (!isUuid(id)) throw new NotFoundError('Task', id);
    return workOrderToTask(await this.orders.get(viewer, id));
  }

  async search(viewer: Principal, q: FhirTaskSearchDto, urls: FhirUrls): Promise<Bundle<Task>> {
    const limit = q._count ?? 50;
    const page = await this.orders.page(viewer, { deviceId: q.focus?.replace(/^Device\//, ''), cursor: q._cursor, limit });
    let nextUrl: string | undefined;
    if (page.nextCursor) {
      const params = new URLSearchParams();
      if (q.focus) params.set('focus', q.focus);
      params.set('_count', String(limit));
      params.set('_cursor', page.nextCursor);
      nextUrl = `${urls.baseUrl}/Task?${params.toString()}`;
    }
    return taskSearchset({ baseUrl: urls.baseUrl, orders: page.items, selfUrl: urls.selfUrl, nextUrl });
  }
}
