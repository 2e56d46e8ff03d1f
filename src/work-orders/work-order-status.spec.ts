import { isActive, personMoveRefusal, WORK_ORDER_STATUSES, WorkOrderStatus } from './work-order-status';

describe('work-order status moves by a person', () => {
  it.each<[WorkOrderStatus, WorkOrderStatus]>([
    ['open', 'scheduled'],
    ['open', 'in_progress'],
    ['scheduled', 'in_progress'],
    ['scheduled', 'open'],
    ['in_progress', 'verifying'],
    ['in_progress', 'scheduled'],
    ['verifying', 'in_progress'],
    ['open', 'cancelled'],
    ['verifying', 'risk_accepted'],
  ])('allows %s -> %s', (from, to) => {
    expect(personMoveRefusal(from, to)).toBeNull();
  });

  it.each(WORK_ORDER_STATUSES)('never allows %s -> done, and says done needs proof', (from) => {
    expect(personMoveRefusal(from, 'done')).toBe(
      `status: ${from} -> done is refused: done is reached only by proof (the device reports firmware at or above targetFirmware and every linked finding is resolved)`,
    );
  });

  it.each<[WorkOrderStatus, WorkOrderStatus, string]>([
    ['open', 'verifying', 'status: open -> verifying is not allowed (from open: scheduled, in_progress, cancelled, risk_accepted)'],
    ['scheduled', 'verifying', 'status: scheduled -> verifying is not allowed (from scheduled: open, in_progress, cancelled, risk_accepted)'],
    ['done', 'open', 'status: done -> open is not allowed (done is closed)'],
    ['cancelled', 'open', 'status: cancelled -> open is not allowed (cancelled is closed)'],
    ['risk_accepted', 'scheduled', 'status: risk_accepted -> scheduled is not allowed (risk_accepted is closed)'],
  ])('refuses %s -> %s naming both', (from, to, message) => {
    expect(personMoveRefusal(from, to)).toBe(message);
  });

  it('treats staying put as no move', () => {
    expect(personMoveRefusal('scheduled', 'scheduled')).toBeNull();
  });

  it('counts open, scheduled, in progress and verifying as active, the rest as closed', () => {
    expect(WORK_ORDER_STATUSES.filter(isActive)).toEqual(['open', 'scheduled', 'in_progress', 'verifying']);
  });
});
