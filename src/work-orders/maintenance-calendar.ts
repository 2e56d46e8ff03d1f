import ical, { ICalEventStatus } from 'ical-generator';
import type { WorkOrderDto } from './dto/work-order.dto';

/**
 * The maintenance windows of active work orders as an RFC 5545 calendar, for a ward to subscribe
 * to: each window is an event whose UID is the order's, so a moved window updates the event
 * instead of adding one. Pure apart from the library.
 */
export function maintenanceCalendar(orders: WorkOrderDto[], department: string | undefined, now: Date): string {
  const calendar = ical({
    name: department ? `Device maintenance: ${department}` : 'Device maintenance',
    prodId: { company: 'iomt-inventory', product: 'work-orders', language: 'EN' },
  });
  for (const o of orders) {
    if (!o.maintenanceWindow) continue;
    const what = o.targetFirmware ? `firmware update to ${o.targetFirmware}` : 'mitigation';
    calendar.createEvent({
      id: `${o.id}@iomt-inventory`,
      start: o.maintenanceWindow.start,
      end: o.maintenanceWindow.end,
      stamp: now,
      lastModified: o.updatedAt,
      summary: `Device ${o.serialNumber} down: ${what}`,
      description: `Work order ${o.id} (${o.status}, decision ${o.decision}${o.dueAt ? `, due ${o.dueAt.toISOString()}` : ''})`,
      location: o.location ?? undefined,
      status: o.status === 'scheduled' ? ICalEventStatus.CONFIRMED : ICalEventStatus.TENTATIVE,
    });
  }
  return calendar.toString();
}
