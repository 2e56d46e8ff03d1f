export type * from './csaf.types';
export { publisherKey, readCsaf } from './csaf-reader';
export { extractFixedVersion, fixedVersionCandidates } from './fixed-version';
export { normalizeName, repairMojibake } from './normalize-name';
export { readModelAndVersion } from './model-and-version';
export type { ModelAndVersion } from './model-and-version';
export { CsafValidator, closeCsafValidator, validateCsaf } from './csaf-validator';
export type { CsafValidationError, CsafValidationResult, CsafValidatorOptions } from './csaf-validator';
