/**
 * FHIR search parameter syntax for Device searches, pure. A comma separates values that are
 * OR-ed; `\,` `\|` `\$` `\\` are escapes (FHIR R4 search, "Escaping Search Parameters").
 */
import { InvalidInputError } from '../../common/domain-errors';
import type { DeviceStatus } from '../entities/device.entity';

const FHIR_DEVICE_STATUS_SYSTEM = 'http://hl7.org/fhir/device-status';

/** FHIR device-status -> our statuses. We never record entered-in-error or unknown. */
const STATUSES: Record<string, DeviceStatus[]> = {
  active: ['active', 'maintenance'],
  inactive: ['decommissioned'],
  'entered-in-error': [],
  unknown: [],
};

/** `a,b\,c` -> ['a', 'b,c'] with escapes removed; empty values dropped. */
export function splitOr(raw: string): string[] {
  return splitUnescaped(raw, ',')
    .map(unescape)
    .filter((v) => v.length > 0);
}

/** Our statuses matching a `status` token list; [] matches nothing. */
export function statusesFor(raw: string): DeviceStatus[] {
  const out = new Set<DeviceStatus>();
  for (const token of splitUnescaped(raw, ',')) {
    const { system, code } = splitToken(token);
    if (system !== undefined && system !== '' && system !== FHIR_DEVICE_STATUS_SYSTEM) {
      throw new InvalidInputError(`status: system must be ${FHIR_DEVICE_STATUS_SYSTEM}, got "${system}"`);
    }
    const ours = STATUSES[code];
    if (!ours) throw new InvalidInputError(`status: must be active, inactive, entered-in-error or unknown, got "${code}"`);
    ours.forEach((s) => out.add(s));
  }
  return [...out];
}

/**
 * Identifier values a token list asks for. Our identifiers (serial, asset tag) carry no system,
 * so `value` and `|value` match and `system|value` with a system matches nothing.
 */
export function identifierValues(raw: string): string[] {
  return splitUnescaped(raw, ',')
    .map(splitToken)
    .filter((t) => !t.system && t.code.length > 0)
    .map((t) => t.code);
}

function splitToken(token: string): { system?: string; code: string } {
  const parts = splitUnescaped(token, '|');
  if (parts.length === 1) return { code: unescape(parts[0]) };
  return { system: unescape(parts[0]), code: unescape(parts.slice(1).join('|')) };
}

function splitUnescaped(raw: string, separator: ',' | '|'): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '\\' && i + 1 < raw.length) {
      current += ch + raw[i + 1];
      i++;
    } else if (ch === separator) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function unescape(value: string): string {
  return value.replace(/\\([\\,|$])/g, '$1');
}
