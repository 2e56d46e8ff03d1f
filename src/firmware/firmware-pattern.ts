/**
 * What a firmware version string may look like wherever it enters (API, CSV, heartbeats):
 * vendor versions are free-form (2.6A, 012U000061, 2023.3_Build_9342) but printable, 1-100
 * characters, with no surrounding spaces or control characters.
 */
export const FIRMWARE_VERSION_PATTERN = /^[\x21-\x7E](?:[\x20-\x7E]{0,98}[\x21-\x7E])?$/;
