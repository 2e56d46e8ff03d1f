import { createHash } from 'node:crypto';
import { auditEntryHash, canonicalAuditText, jsonbText } from './audit-chain';

describe('jsonbText (PostgreSQL jsonb output)', () => {
  it('orders object keys by byte length, then bytes, whatever the input order', () => {
    expect(jsonbText({ serialNumber: 'S', b: 1, aa: 2, a: null })).toBe('{"a": null, "b": 1, "aa": 2, "serialNumber": "S"}');
    expect(jsonbText({ é: 1, z: 2 })).toBe('{"z": 2, "é": 1}');
  });

  it('writes arrays, nesting, booleans and escapes as jsonb does', () => {
    expect(jsonbText([1, 'a"b\\c\n', true, [], {}, { x: [{ y: false }] }])).toBe('[1, "a\\"b\\\\c\\n", true, [], {}, {"x": [{"y": false}]}]');
  });
});

describe('canonicalAuditText / auditEntryHash', () => {
  const entry = {
    id: '42',
    at: '2026-11-28T10:15:30.123Z',
    actorKind: 'user',
    actorId: '6f1c7a52-6c43-4a5e-9d3f-0e0c3b1d9a77',
    actorName: 'jane.doe@hospital.example',
    action: 'update',
    entityType: 'device',
    entityId: 'd1',
    changes: { location: { to: 'ICU', from: 'ER' } },
    prevHash: '0'.repeat(64),
  };

  it('serializes the fields in a fixed order with the timestamp to the millisecond', () => {
    expect(canonicalAuditText(entry)).toBe(
      '["42", "2026-11-28T10:15:30.123Z", "user", "6f1c7a52-6c43-4a5e-9d3f-0e0c3b1d9a77", "jane.doe@hospital.example", "update", "device", "d1", ' +
        '{"location": {"to": "ICU", "from": "ER"}}, "0000000000000000000000000000000000000000000000000000000000000000"]',
    );
  });

  it('hashes that text with SHA-256, and any change to a field changes the hash', () => {
    expect(auditEntryHash(entry)).toBe(createHash('sha256').update(canonicalAuditText(entry)).digest('hex'));
    expect(auditEntryHash({ ...entry, actorName: 'mallory@hospital.example' })).not.toBe(auditEntryHash(entry));
    expect(auditEntryHash({ ...entry, at: '2026-11-28T10:15:30.124Z' })).not.toBe(auditEntryHash(entry));
  });
});
