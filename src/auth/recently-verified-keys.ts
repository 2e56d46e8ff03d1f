import { Principal } from './role';

/** How long a verified API key may stand in for the database while the database cannot answer. */
export const STALE_KEY_MAX_AGE_MS = 5 * 60_000;
const MAX_KEYS = 1_000;

/**
 * API keys (by hash, as the database keeps them) that the database confirmed recently, and
 * whose principal they stood for. Used only when the database cannot be reached, and only on
 * routes that need no database (`@AvailableWithoutDatabase()`, the metrics): Prometheus keeps
 * seeing the ingest metrics through an outage, which is when they matter. Whenever the
 * database answers, it decides, so a revocation takes effect at once; a key the database no
 * longer knows is forgotten here too.
 */
export class RecentlyVerifiedKeys {
  private readonly keys = new Map<string, { principal: Principal; at: number }>();

  remember(keyHash: string, principal: Principal, nowMs: number): void {
    // Re-inserted so that the Map's order is oldest verification first.
    this.keys.delete(keyHash);
    this.keys.set(keyHash, { principal, at: nowMs });
    if (this.keys.size > MAX_KEYS) this.keys.delete(this.keys.keys().next().value!);
  }

  forget(keyHash: string): void {
    this.keys.delete(keyHash);
  }

  /** The principal of a key the database confirmed within STALE_KEY_MAX_AGE_MS, else null. */
  recall(keyHash: string, nowMs: number): Principal | null {
    const seen = this.keys.get(keyHash);
    return seen && nowMs - seen.at <= STALE_KEY_MAX_AGE_MS ? seen.principal : null;
  }
}
