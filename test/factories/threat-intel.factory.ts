import { DataSource } from 'typeorm';
import { TestApp } from '../support/test-app';

export interface KevSeed {
  cve: string;
  knownRansomware?: boolean;
}

/**
 * Stands in for the KEV upload (POST /api/v1/threat-intel/kev) until it exists: writes catalog rows
 * and the feed's version straight into the tables that upload fills, and announces nothing. Seed
 * before the advisory is posted: the findings recompute that opens its findings reads KEV in its
 * own transaction. When the upload is merged, replace the call with a POST of a catalog.
 */
export async function seedKevEntries(t: TestApp, entries: KevSeed[], catalogVersion = '2025.08.25'): Promise<void> {
  const db = t.app.get(DataSource);
  await db.transaction(async (m) => {
    await m.query(
      `INSERT INTO kev_entries (cve, vendor_project, product, vulnerability_name, date_added, due_date, known_ransomware, required_action)
       SELECT cve, 'Test vendor', 'Test product', 'Test vulnerability ' || cve, DATE '2019-11-03', DATE '2020-05-03', ransomware, 'Apply updates per vendor instructions.'
         FROM unnest($1::varchar[], $2::bool[]) AS e(cve, ransomware)
       ON CONFLICT (cve) DO UPDATE SET known_ransomware = EXCLUDED.known_ransomware`,
      [entries.map((e) => e.cve), entries.map((e) => e.knownRansomware ?? false)],
    );
    await m.query(
      `INSERT INTO threat_intel_feeds (feed, version, released_at, entries, origin, loaded_by)
       VALUES ('kev', $1, now(), (SELECT count(*) FROM kev_entries), 'upload', 'test factory')
       ON CONFLICT (feed) DO UPDATE SET version = EXCLUDED.version, entries = EXCLUDED.entries, loaded_at = now()`,
      [catalogVersion],
    );
  });
}
