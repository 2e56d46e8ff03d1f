import { identifierValues, splitOr, statusesFor } from './fhir-search';

describe('FHIR Device search parameters', () => {
  it('splits OR lists at commas and keeps escaped commas inside a value', () => {
    expect(splitOr('Baxter,B\\, Braun,,')).toEqual(['Baxter', 'B, Braun']);
  });

  it.each([
    ['active', ['active', 'maintenance']],
    ['inactive', ['decommissioned']],
    ['entered-in-error', []],
    ['unknown', []],
    ['active,inactive', ['active', 'maintenance', 'decommissioned']],
    ['http://hl7.org/fhir/device-status|inactive', ['decommissioned']],
    ['|active', ['active', 'maintenance']],
  ])('maps status=%s to our statuses %j', (raw, ours) => {
    expect(statusesFor(raw)).toEqual(ours);
  });

  it('refuses an unknown status code naming the parameter', () => {
    expect(() => statusesFor('maintenance')).toThrow('status: must be active, inactive, entered-in-error or unknown, got "maintenance"');
  });

  it('refuses a status token from another code system', () => {
    expect(() => statusesFor('http://example.org/status|active')).toThrow('status: system must be http://hl7.org/fhir/device-status');
  });

  it('reads identifier tokens without a system, with an empty system, and with escapes', () => {
    expect(identifierValues('SN-1,|SN-2,A\\|B')).toEqual(['SN-1', 'SN-2', 'A|B']);
  });

  it('drops identifier tokens that name a system, since ours carry none', () => {
    expect(identifierValues('urn:oid:1.2.3|SN-1')).toEqual([]);
  });
});
