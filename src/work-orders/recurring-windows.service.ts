import { Injectable } from '@nestjs/common';
import { Principal } from '../access/role';
import { AuditService } from '../audit/audit.service';
import { InvalidInputError } from '../common/domain-errors';
import { PutRecurringWindowDto, RecurringWindowDto } from './dto/recurring-window.dto';
import { nextSlot, recurringWindowProblem } from './recurring-window';
import { RecurringWindowRow, RecurringWindowsRepository } from './recurring-windows.repository';

/** Departments' standing maintenance windows, and the next slot each proposes. */
@Injectable()
export class RecurringWindowsService {
  constructor(
    private readonly repository: RecurringWindowsRepository,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<RecurringWindowDto[]> {
    const now = new Date();
    return (await this.repository.all()).map((r) => toDto(r, now));
  }

  async put(actor: Principal, dto: PutRecurringWindowDto): Promise<RecurringWindowDto> {
    const problem = recurringWindowProblem(dto);
    if (problem) throw new InvalidInputError(problem);
    await this.repository.transaction(async (m) => {
      const before = await this.repository.upsert(m, dto.department, dto, actor.name);
      const after = { rrule: dto.rrule, duration: dto.duration, timeZone: dto.timeZone };
      const from = before ? { rrule: before.rrule, duration: before.duration, timeZone: before.timeZone } : null;
      await this.audit.record(m, actor, {
        action: before ? 'update' : 'create',
        entityType: 'recurring_maintenance_window',
        entityId: dto.department,
        changes: { from, to: after },
      });
    });
    const row = (await this.repository.forDepartments([dto.department])).get(dto.department)!;
    return toDto(row, new Date());
  }

  /** The next slot per department, for orders that have no window yet. */
  async proposals(departments: string[], now: Date): Promise<Map<string, { start: Date; end: Date } | null>> {
    const rules = await this.repository.forDepartments([...new Set(departments)]);
    return new Map([...rules].map(([department, rule]) => [department, nextSlot(rule, now)]));
  }
}

function toDto(r: RecurringWindowRow, now: Date): RecurringWindowDto {
  return {
    department: r.department,
    rrule: r.rrule,
    duration: r.duration,
    timeZone: r.timeZone,
    nextSlot: nextSlot(r, now),
    updatedBy: r.updatedBy,
    updatedAt: r.updatedAt,
  };
}
