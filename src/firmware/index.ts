// The pure firmware-version core: no framework, no database; safe to use anywhere.
export { parseVersion, versionProblem } from './version';
export type { FirmwareVersion, Segment } from './version';
export { compareVersions, compareParsed, maxVersion } from './compare';
export { parseRange, rangeContains } from './version-range';
export type { Containment, RangeParseResult, VersionRange } from './version-range';
export type { Clause, Comparator, Operator } from './comparator';
export { rangeFromProductPhrase } from './product-phrase';
export { FIRMWARE_VERSION_PATTERN } from './firmware-pattern';
