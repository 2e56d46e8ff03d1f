import { Injectable } from '@nestjs/common';
import { Principal } from '../access/role';
import { AuditService } from '../audit/audit.service';
import { cursorFields, decodeCursor, encodeCursor } from '../common/cursor-codec';
import { ConflictError, NotFoundError } from '../common/domain-errors';
import { SecurityEventQueryDto } from './dto/security-event.dto';
import { SecurityEventRow, SecurityEventsRepository } from './security-events.repository';

const ID_FIELD = (v: unknown) => typeof v === 'string' && /^[0-9]{1,18}$/.test(v);
const CURSOR_REFUSAL = 'cursor: is not a nextCursor of this listing, or is damaged';

@Injectable()
export class SecurityEventsService {
  constructor(
    private readonly repository: SecurityEventsRepository,
    private readonly audit: AuditService,
  ) {}

  /** Newest first. Biomedical engineers see events about registered devices only (not rogue ids). */
  async list(caller: Principal, q: SecurityEventQueryDto): Promise<{ items: SecurityEventRow[]; nextCursor: string | null }> {
    const limit = q.limit ?? 100;
    const beforeId = q.cursor ? (decodeCursor(q.cursor, [cursorFields.exactly('security-events'), ID_FIELD], CURSOR_REFUSAL)[1] as string) : undefined;
    const items = await this.repository.list({
      type: q.type,
      deviceId: q.deviceId,
      since: q.since,
      unacknowledged: q.unacknowledged === true,
      deviceEventsOnly: caller.role === 'biomed',
      beforeId,
      limit,
    });
    return { items, nextCursor: items.length === limit ? encodeCursor(['security-events', items[items.length - 1].id]) : null };
  }

  async acknowledge(actor: Principal, id: string): Promise<SecurityEventRow> {
    const done = await this.repository.transaction(async (m) => {
      const row = await this.repository.acknowledge(m, id, actor.name);
      if (row)
        await this.audit.record(m, actor, {
          action: 'acknowledge',
          entityType: 'security_event',
          entityId: id,
          changes: { type: row.type, deviceId: row.device_id },
        });
      return row;
    });
    if (done) return done;
    const existing = await this.repository.findById(id);
    if (!existing) throw new NotFoundError('security event', id);
    throw new ConflictError(`security event ${id} was already acknowledged by ${existing.acknowledged_by} at ${existing.acknowledged_at?.toISOString()}`);
  }
}
