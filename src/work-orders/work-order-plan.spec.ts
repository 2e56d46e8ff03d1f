import { RemediationPolicy } from './decision';
import { DeviceState, FirmwareEvidence, OpenFinding, planDevice, PlannedOrder } from './work-order-plan';

const policy: RemediationPolicy = {
  due: { immediate: 'P2D', out_of_cycle: 'P14D', scheduled: 'P90D', defer: null },
  autoOpenDecisions: ['immediate', 'out_of_cycle'],
};
const detectedAt = new Date('2026-03-01T00:00:00Z');
const evidence: FirmwareEvidence = {
  source: 'heartbeat',
  firmware: '2.0',
  sentAt: '2026-03-04T00:00:00.000Z',
  changedAt: '2026-03-04T00:00:01.000Z',
  actor: null,
};

function finding(id: string, fields: Partial<OpenFinding> = {}): OpenFinding {
  return {
    id,
    advisoryId: `adv-${id}`,
    decision: null,
    dueAt: null,
    severity: 'critical',
    detectedAt,
    fixedVersion: '2.0',
    affectedVersions: '<2.0',
    ...fields,
  };
}

function order(fields: Partial<PlannedOrder> = {}): PlannedOrder {
  return { id: 'wo-1', status: 'in_progress', decision: 'immediate', dueAt: null, targetFirmware: '2.0', links: [], ...fields };
}

const link = (f: OpenFinding, open: boolean) => ({
  findingId: f.id,
  advisoryId: f.advisoryId,
  open,
  fixedVersion: f.fixedVersion,
  affectedVersions: f.affectedVersions,
});

function state(fields: Partial<DeviceState> = {}): DeviceState {
  return { deviceId: 'dev-1', firmwareVersion: '1.0', evidence, openFindings: [], active: null, lastDone: null, ...fields };
}

describe('planDevice', () => {
  describe('opening', () => {
    it('opens an order covering every open finding when one decision opens orders by itself', () => {
      const f1 = finding('1', { severity: 'critical' });
      const f2 = finding('2', { severity: 'low', fixedVersion: '2.2', detectedAt: new Date('2026-02-01T00:00:00Z') });
      expect(planDevice(state({ openFindings: [f1, f2] }), { policy })).toEqual([
        {
          kind: 'create',
          deviceId: 'dev-1',
          findings: [f1, f2],
          terms: { decision: 'immediate', dueAt: new Date('2026-03-03T00:00:00Z'), targetFirmware: '2.2' },
          detectedAt: new Date('2026-02-01T00:00:00Z'),
        },
      ]);
    });

    it('uses the computed SSVC decision over the severity', () => {
      expect(planDevice(state({ openFindings: [finding('1', { decision: 'scheduled', severity: 'critical' })] }), { policy })).toEqual([]);
      const steps = planDevice(
        state({ openFindings: [finding('1', { decision: 'out_of_cycle', dueAt: new Date('2026-03-09T00:00:00Z'), severity: 'low' })] }),
        { policy },
      );
      expect(steps).toMatchObject([{ kind: 'create', terms: { decision: 'out_of_cycle', dueAt: new Date('2026-03-09T00:00:00Z') } }]);
    });

    it('opens nothing for decisions the policy leaves to people, unless a person asks', () => {
      const s = state({ openFindings: [finding('1', { severity: 'medium' })] });
      expect(planDevice(s, { policy })).toEqual([]);
      expect(planDevice(s, { policy, force: true })).toMatchObject([{ kind: 'create', terms: { decision: 'scheduled' } }]);
      expect(planDevice(s, { policy: { ...policy, autoOpenDecisions: ['scheduled'] } })).toMatchObject([{ kind: 'create' }]);
    });

    it('opens nothing for a device without open findings, even when asked', () => {
      expect(planDevice(state(), { policy, force: true })).toEqual([]);
    });

    it('makes a mitigation order (no target) when an advisory affects all versions with no fix', () => {
      const steps = planDevice(state({ openFindings: [finding('1', { fixedVersion: null, affectedVersions: '*' })] }), { policy });
      expect(steps).toMatchObject([{ kind: 'create', terms: { targetFirmware: null } }]);
    });
  });

  describe('joining', () => {
    it('adds new open findings to the active order, raising decision and target and bringing the due date forward', () => {
      const old = finding('1', { severity: 'high' });
      const active = order({ decision: 'out_of_cycle', dueAt: new Date('2026-03-15T00:00:00Z'), targetFirmware: '2.0', links: [link(old, true)] });
      const later = finding('2', { severity: 'critical', fixedVersion: '2.5', affectedVersions: '<2.5' });
      expect(planDevice(state({ openFindings: [old, later], active }), { policy })).toEqual([
        {
          kind: 'join',
          orderId: 'wo-1',
          findings: [later],
          terms: { decision: 'immediate', dueAt: new Date('2026-03-03T00:00:00Z'), targetFirmware: '2.5' },
          previous: { decision: 'out_of_cycle', dueAt: new Date('2026-03-15T00:00:00Z'), targetFirmware: '2.0' },
        },
      ]);
    });

    it('never lowers an order: a later low finding keeps its decision and due date', () => {
      const old = finding('1');
      const active = order({ decision: 'immediate', dueAt: new Date('2026-03-03T00:00:00Z'), links: [link(old, true)] });
      const [step] = planDevice(state({ openFindings: [old, finding('2', { severity: 'low' })], active }), { policy });
      expect(step).toMatchObject({ kind: 'join', terms: { decision: 'immediate', dueAt: new Date('2026-03-03T00:00:00Z') } });
    });

    it('leaves an order alone when nothing changed', () => {
      const f = finding('1');
      expect(planDevice(state({ openFindings: [f], active: order({ links: [link(f, true)] }) }), { policy })).toEqual([]);
    });
  });

  describe('proof', () => {
    const f = finding('1');
    it('closes an order whose findings are all resolved on firmware at or above the target, with the evidence', () => {
      for (const firmwareVersion of ['2.0', '2.0.1', '3']) {
        expect(planDevice(state({ firmwareVersion, active: order({ links: [link(f, false)] }) }), { policy })).toEqual([
          { kind: 'done', orderId: 'wo-1', evidence },
        ]);
      }
    });

    it('does not close on firmware below the target, or not comparable with it, or unknown', () => {
      for (const firmwareVersion of ['1.9', 'build-abc', null]) {
        expect(planDevice(state({ firmwareVersion, active: order({ links: [link(f, false)] }) }), { policy })).toEqual([]);
      }
    });

    it('does not close while a linked finding is open, nor an order covering no finding', () => {
      expect(planDevice(state({ firmwareVersion: '2.0', active: order({ links: [link(f, true)] }) }), { policy })).toEqual([]);
      expect(planDevice(state({ firmwareVersion: '2.0', active: order({ links: [] }) }), { policy })).toEqual([]);
    });

    it('closes a mitigation order once every finding it covers is resolved', () => {
      expect(planDevice(state({ firmwareVersion: '1.0', active: order({ targetFirmware: null, links: [link(f, false)] }) }), { policy })).toMatchObject([
        { kind: 'done' },
      ]);
    });
  });

  describe('rollback', () => {
    const f = finding('1');
    it('reopens the order proved done when an advisory it covered affects the device again, and the new finding joins it', () => {
      const again = finding('9', { advisoryId: f.advisoryId });
      const lastDone = order({ status: 'done', links: [link(f, false)] });
      const steps = planDevice(state({ firmwareVersion: '1.0', openFindings: [again], lastDone }), { policy });
      expect(steps).toMatchObject([
        { kind: 'reopen', orderId: 'wo-1', advisoryIds: [f.advisoryId], firmware: '1.0' },
        { kind: 'join', orderId: 'wo-1', findings: [again] },
      ]);
    });

    it('opens a new order instead when the new finding is of another advisory', () => {
      const other = finding('9', { advisoryId: 'adv-other' });
      const steps = planDevice(state({ openFindings: [other], lastDone: order({ status: 'done', links: [link(f, false)] }) }), { policy });
      expect(steps).toMatchObject([{ kind: 'create', findings: [other] }]);
    });
  });
});
