export { parseUdi, MAX_UDI_LENGTH } from './udi-parser';
export { isValidGtinCheckDigit, computeGtinCheckDigit } from './gtin';
export { hibccCheckCharacter } from './hibcc';
export type { HibccDetails, ParsedUdi, UdiIssuer, UdiParseOptions, UdiParseResult } from './types';
