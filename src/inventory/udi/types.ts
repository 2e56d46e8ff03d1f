/** Public types of the UDI parser. Pure: no framework imports. */

export type UdiIssuer = 'GS1' | 'HIBCC' | 'ICCBBA';

/** HIBCC-specific parts of the primary and secondary data structures. */
export interface HibccDetails {
  /** Labeler Identification Code: 4 characters, the first a letter. */
  labelerCode: string;
  /** Product/catalogue number (PCN), 1-18 characters, without the unit of measure. */
  productCode: string;
  /** Unit of measure digit 0-9 that ends the primary data. */
  unitOfMeasure: string;
  /** Quantity from a `$$8`/`$$9` secondary. */
  quantity?: number;
  /** Hour from a `$$4` (YYMMDDHH) or `$$6` (YYJJJHH) expiry; the date itself is in expirationDate. */
  expirationHour?: number;
}

export interface ParsedUdi {
  issuer: UdiIssuer;
  /** GS1: the 14-digit GTIN of AI (01). HIBCC: LIC + PCN + unit of measure. ICCBBA: the 16-character PPIC (=/) or the container code (=)). */
  deviceIdentifier: string;
  /** GS1 AI (21), HIBCC serial, ICCBBA Product Divisions (=,). */
  serialNumber?: string;
  /** GS1 AI (10), HIBCC lot, ICCBBA MPHO lot (&,1) or container lot (&)). */
  lotNumber?: string;
  /** ISO YYYY-MM-DD. GS1 AI (17) DD=00 means the last day of the month. */
  expirationDate?: string;
  /** ISO YYYY-MM-DD. GS1 AI (11), HIBCC /16D, ICCBBA =}. */
  manufactureDate?: string;
  /** ICCBBA Donation Identification Number (DS001, 15 characters as encoded, flags included); FHIR Device.distinctIdentifier. */
  distinctIdentifier?: string;
  /** GS1 AI (8012) software version. */
  softwareVersion?: string;
  /** Other recognised elements, keyed by GS1 AI ('37'), HIBCC supplemental identifier or ISBT 128 data identifier. */
  other?: Record<string, string>;
  hibcc?: HibccDetails;
  /** Non-fatal findings; in lenient mode also the relaxed check-digit and DI-length problems. */
  warnings?: string[];
  /** The input exactly as given. */
  raw: string;
}

export type UdiParseResult = { ok: true; udi: ParsedUdi } | { ok: false; error: string };

export interface UdiParseOptions {
  /**
   * Default true: a wrong GTIN check digit, a wrong HIBCC check character, a GTIN that is
   * not 14 digits or an ICCBBA PPIC that is not 16 characters makes the parse fail.
   * false: those few problems become `warnings` and the fields are still returned.
   * Everything else (bad dates, truncated or unknown fixed-length data, bad characters) fails in both modes.
   */
  strict?: boolean;
  /** Reference date for the GS1 two-digit-year window; default: the current date. */
  now?: Date;
}

/** Internal: a value or the reason there is none. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

export const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });
export const succeed = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

/** Fields an issuer-specific parser fills in; the dispatcher adds issuer, raw and warnings. */
export type UdiFields = Omit<ParsedUdi, 'issuer' | 'raw' | 'warnings'>;

/** Collects findings during one parse. */
export interface ParseContext {
  readonly currentYear: number;
  /** A problem that is an error in strict mode and a warning in lenient mode. */
  issue(message: string): void;
  /** A warning in both modes. */
  note(message: string): void;
}
