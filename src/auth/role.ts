export const ROLES = ['admin', 'biomed', 'it', 'manufacturer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved by the auth guard from the bearer credential. */
export interface Principal {
  kind: 'api-key' | 'user';
  id: string;
  name: string;
  role: Role;
  /** Set only for the manufacturer role: the one manufacturer this caller speaks for. */
  manufacturerId?: string;
  /** Set only for a person's session: the session the bearer token belongs to (for logout). */
  sessionId?: string;
}
