import type { EmbeddedPostgres } from './embedded-postgres';

/** Where the service's database is: an external PostgreSQL, or the embedded PGlite it started. */
export const DATABASE_ENDPOINT = Symbol('DATABASE_ENDPOINT');

export interface DatabaseEndpoint {
  url: string;
  embedded?: EmbeddedPostgres;
  poolSize: number;
}
