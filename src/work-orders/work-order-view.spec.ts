import { toWorkOrderDto } from './work-order-view';
import { WorkOrderRow } from './work-orders.repository';

const row: WorkOrderRow = {
  id: 'wo-1',
  deviceId: 'dev-1',
  modelId: 'model-1',
  manufacturerId: 'maker-1',
  department: 'Cardiology',
  location: 'Ward 3 / Bed 7',
  serialNumber: 'SN-1',
  findingIds: ['10'],
  targetFirmware: '2.0',
  decision: 'immediate',
  dueAt: new Date('2026-03-03T00:00:00Z'),
  status: 'scheduled',
  origin: 'auto',
  assigneeUserId: 'user-1',
  assigneeName: 'Sam Biomed',
  windowStart: new Date('2026-03-02T22:00:00Z'),
  windowEnd: new Date('2026-03-03T02:00:00Z'),
  clinicalApproval: { by: 'Dr. Chen', at: '2026-03-01T09:00:00Z', note: 'patient moved to bed 8' },
  manufacturerValidated: null,
  notes: 'patient in bed 7 until Tuesday',
  statusReason: null,
  evidence: null,
  detectedAt: new Date('2026-03-01T00:00:00Z'),
  doneAt: null,
  createdAt: new Date('2026-03-01T00:00:01Z'),
  updatedAt: new Date('2026-03-01T00:00:02Z'),
};

describe('toWorkOrderDto', () => {
  it('shows the hospital everything, with the window, kind and overdue worked out', () => {
    const dto = toWorkOrderDto(row, false, new Date('2026-03-04T00:00:00Z'));
    expect(dto).toMatchObject({
      department: 'Cardiology',
      location: 'Ward 3 / Bed 7',
      kind: 'update',
      overdue: true,
      maintenanceWindow: { start: row.windowStart, end: row.windowEnd },
      notes: row.notes,
    });
  });

  it('shows a manufacturer nothing of places, people, notes or history', () => {
    const dto = toWorkOrderDto(row, true, new Date('2026-03-02T00:00:00Z'), []);
    expect(Object.keys(dto).sort()).toEqual(
      [
        'createdAt',
        'decision',
        'deviceId',
        'dueAt',
        'id',
        'kind',
        'manufacturerValidated',
        'modelId',
        'overdue',
        'serialNumber',
        'status',
        'targetFirmware',
        'updatedAt',
      ].sort(),
    );
    expect(JSON.stringify(dto)).not.toMatch(/Cardiology|Ward|bed|Chen|Sam/i);
  });

  it('is not overdue once closed, nor without a due date; no target makes a mitigation order', () => {
    const later = new Date('2026-04-01T00:00:00Z');
    expect(toWorkOrderDto({ ...row, status: 'done' }, false, later).overdue).toBe(false);
    expect(toWorkOrderDto({ ...row, dueAt: null }, false, later).overdue).toBe(false);
    expect(toWorkOrderDto({ ...row, targetFirmware: null }, false, later).kind).toBe('mitigation');
  });
});
