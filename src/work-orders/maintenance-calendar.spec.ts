import { maintenanceCalendar } from './maintenance-calendar';
import type { WorkOrderDto } from './dto/work-order.dto';

const order = (fields: Partial<WorkOrderDto> = {}): WorkOrderDto => ({
  id: '6f1c2d3e-0000-4000-8000-000000000001',
  deviceId: 'd',
  modelId: 'm',
  serialNumber: 'SN-42',
  targetFirmware: '2.0',
  kind: 'update',
  decision: 'immediate',
  dueAt: new Date('2026-03-03T00:00:00Z'),
  overdue: false,
  status: 'scheduled',
  manufacturerValidated: null,
  createdAt: new Date('2026-03-01T00:00:00Z'),
  updatedAt: new Date('2026-03-01T10:00:00Z'),
  location: 'Ward 3; Bed 7',
  maintenanceWindow: { start: new Date('2026-03-02T22:00:00Z'), end: new Date('2026-03-03T02:00:00Z') },
  ...fields,
});

describe('maintenanceCalendar', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('writes one RFC 5545 event per window, its UID the order id, in UTC', () => {
    const text = maintenanceCalendar([order()], 'Cardiology', now);
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\nVERSION:2.0\r\n/);
    expect(text).toContain('X-WR-CALNAME:Device maintenance: Cardiology');
    expect(text).toContain('UID:6f1c2d3e-0000-4000-8000-000000000001@iomt-inventory');
    expect(text).toContain('DTSTART:20260302T220000Z');
    expect(text).toContain('DTEND:20260303T020000Z');
    expect(text).toContain('SUMMARY:Device SN-42 down: firmware update to 2.0');
    expect(text).toContain('LOCATION:Ward 3\\; Bed 7');
    expect(text).toContain('STATUS:CONFIRMED');
    expect(text.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
  });

  it('leaves out orders without a window; an unscheduled window is tentative; a mitigation says so', () => {
    const text = maintenanceCalendar([order({ maintenanceWindow: null }), order({ id: 'x', status: 'open', targetFirmware: null })], undefined, now);
    expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(text).toContain('STATUS:TENTATIVE');
    expect(text).toContain('SUMMARY:Device SN-42 down: mitigation');
  });
});
