/**
 * The report's free-text search (?q=): a case-insensitive PREFIX of the serial number, asset tag,
 * location, or the model's name or model number. Prefix, not substring, because each is then a
 * b-tree range scan (`lower(column) text_pattern_ops` indexes on devices) that PostgreSQL ORs as
 * a bitmap, fast at 100k devices and more; pg_trgm would find substrings but is an extension the
 * embedded PGlite build has to load separately and an operator may not have installed
 * (docs/console.md). Models are few: they are matched first, and their devices found through
 * the (model_id, serial_number) index.
 */

/** `text` as a LIKE prefix pattern: its own %, _ and \ match themselves. */
export function prefixPattern(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The models whose name or model number starts with the pattern ($1). */
export const SEARCH_MODELS_SQL = `SELECT id FROM device_models WHERE lower(name) LIKE $1 OR lower(model_number) LIKE $1`;

/** Devices matching the pattern ($pattern) or on one of the matched models ($models, uuid[]). */
export function searchSql(pattern: number, models: number): string {
  return `(lower(d.serial_number) LIKE $${pattern} OR lower(d.asset_tag) LIKE $${pattern} OR lower(d.location) LIKE $${pattern}
           OR d.model_id = ANY($${models}::uuid[]))`;
}
