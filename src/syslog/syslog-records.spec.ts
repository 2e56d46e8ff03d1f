import { formatRfc5424 } from './rfc5424';
import { auditMessage, AuditRow, MAX_JSON_PARAM_BYTES, securityEventMessage, SecurityEventRow, severityOfEvent } from './syslog-records';

const ctx = { facility: 16, hostname: 'iomt-1', procId: '77' };

const event: SecurityEventRow = {
  id: '42',
  type: 'firmware_downgrade',
  deviceId: '3f1c7a52-6c43-4a5e-9d3f-0e0c3b1d9a77',
  severity: 'high',
  detectedAt: '2026-12-07T10:15:30.123456Z',
  details: { from: '2.4.1', to: '2.3.0' },
};

const audit: AuditRow = {
  id: '9',
  at: '2026-12-07T10:15:30.123Z',
  actorKind: 'user',
  actorId: 'u-1',
  actorName: 'Zoë "the] admin"',
  action: 'update',
  entityType: 'device',
  entityId: 'd-1',
  changes: { location: { from: 'ER', to: 'ICU' }, patientRef: { from: null, to: 'MRN-123' } },
  hash: 'ab'.repeat(32),
};

describe('securityEventMessage', () => {
  it('is local0 with the mapped severity, the event time, msgid = type, id/type/deviceId/severity/details and an ASCII MSG', () => {
    expect(formatRfc5424(securityEventMessage(event, ctx)).toString()).toBe(
      '<131>1 2026-12-07T10:15:30.123456Z iomt-1 iomt-inventory 77 firmware_downgrade ' +
        '[iomt@32473 id="42" type="firmware_downgrade" deviceId="3f1c7a52-6c43-4a5e-9d3f-0e0c3b1d9a77" severity="high" details="{\\"from\\":\\"2.4.1\\",\\"to\\":\\"2.3.0\\"}"] ' +
        'Security event firmware_downgrade (high) on device 3f1c7a52-6c43-4a5e-9d3f-0e0c3b1d9a77',
    );
  });

  it('leaves deviceId out for an event about no registered device, and escapes what details carry', () => {
    const text = formatRfc5424(
      securityEventMessage({ ...event, type: 'unknown_device', deviceId: null, severity: 'medium', details: { claimedId: 'x]"\\' } }, ctx),
    ).toString();
    expect(text).toBe(
      '<132>1 2026-12-07T10:15:30.123456Z iomt-1 iomt-inventory 77 unknown_device ' +
        '[iomt@32473 id="42" type="unknown_device" severity="medium" details="{\\"claimedId\\":\\"x\\]\\\\\\"\\\\\\\\\\"}"] Security event unknown_device (medium)',
    );
  });

  it('maps info, low, medium, high and critical to informational, notice, warning, error and critical', () => {
    expect(['info', 'low', 'medium', 'high', 'critical'].map(severityOfEvent)).toEqual([6, 5, 4, 3, 2]);
  });
});

describe('auditMessage', () => {
  it('is a notice with msgid audit, the chain hash, changes as JSON with any patient reference redacted, and no name in the MSG', () => {
    const text = formatRfc5424(auditMessage(audit, ctx)).toString('utf8');
    expect(text).toBe(
      '<133>1 2026-12-07T10:15:30.123Z iomt-1 iomt-inventory 77 audit ' +
        `[iomt@32473 id="9" type="audit" action="update" entityType="device" entityId="d-1" actorKind="user" actorId="u-1" actorName="Zoë \\"the\\] admin\\"" hash="${'ab'.repeat(32)}" ` +
        'changes="{\\"location\\":{\\"from\\":\\"ER\\",\\"to\\":\\"ICU\\"},\\"patientRef\\":\\"[redacted\\]\\"}"] Audit update device d-1 by user',
    );
    expect(text).not.toContain('MRN-123');
  });

  it('makes a lock-out a warning', () => {
    expect(auditMessage({ ...audit, action: 'lockout' }, ctx).severity).toBe(4);
  });

  it('leaves out null changes, and says so instead of sending changes larger than the limit', () => {
    expect(auditMessage({ ...audit, changes: null }, ctx).params.map((p) => p.name)).not.toContain('changes');
    const big = auditMessage({ ...audit, changes: { ids: ['x'.repeat(MAX_JSON_PARAM_BYTES)] } }, ctx);
    expect(big.params.filter((p) => p.name.startsWith('changes'))).toEqual([{ name: 'changesOmitted', value: 'true', optional: true }]);
  });

  it('keeps the MSG printable ASCII whatever the entity id holds', () => {
    expect(auditMessage({ ...audit, entityId: 'é\n' }, ctx).msg).toBe('Audit update device ?? by user');
  });
});
