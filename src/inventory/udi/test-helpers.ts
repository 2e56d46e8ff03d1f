/** Shared helpers for the UDI specs (not part of the public API). */
import { ParsedUdi, UdiParseOptions, UdiParseResult } from './types';
import { parseUdi } from './udi-parser';

/** Fixed reference date so two-digit years never depend on the day the tests run. */
export const NOW = new Date('2025-06-01T00:00:00Z');

export function parseOk(input: string, options: UdiParseOptions = {}): ParsedUdi {
  const result: UdiParseResult = parseUdi(input, { now: NOW, ...options });
  if (!result.ok) throw new Error(`expected '${input}' to parse, got error: ${result.error}`);
  return result.udi;
}

export function parseError(input: string, options: UdiParseOptions = {}): string {
  const result = parseUdi(input, { now: NOW, ...options });
  if (result.ok) throw new Error(`expected '${input}' to fail, got ${JSON.stringify(result.udi)}`);
  return result.error;
}
