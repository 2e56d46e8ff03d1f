import { InvalidInputError } from '../common/domain-errors';

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

/** The manufacturer role is always bound to one manufacturer; no other role is bound to any. */
export function checkManufacturerBinding(role: Role, manufacturerId: string | undefined): void {
  if (role === 'manufacturer' && !manufacturerId) throw new InvalidInputError('manufacturerId: is required for the manufacturer role');
  if (role !== 'manufacturer' && manufacturerId) throw new InvalidInputError('manufacturerId: only the manufacturer role is bound to a manufacturer');
}
