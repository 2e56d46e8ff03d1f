import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { components } from './api/schema.gen';

export type Me = components['schemas']['WhoAmIDto'];
export type Role = Me['role'];

export const SessionContext = createContext<{ me: Me; signOut: () => Promise<void> } | null>(null);

export function useSession(): { me: Me; signOut: () => Promise<void> } {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in console');
  return s;
}

/** What the console lets each role do: the same roles the API enforces (docs/console.md). */
export const can = {
  seeDevices: (r: Role) => r !== 'manufacturer',
  writeDevices: (r: Role) => r === 'admin' || r === 'biomed',
  importCsaf: (r: Role) => r === 'admin' || r === 'manufacturer',
  seeAudit: (r: Role) => r === 'admin' || r === 'it',
  seeRogues: (r: Role) => r !== 'manufacturer',
  admin: (r: Role) => r === 'admin',
  /** The API lets `it` map products too; the console keeps `it` read-only (docs/console.md). */
  mapProducts: (r: Role) => r === 'admin' || r === 'biomed',
  /** Stored MQTT rejections: the ingest API's roles. */
  seeRejections: (r: Role) => r === 'admin' || r === 'it',
  /**
   * The API lets admin, biomed and it move orders; the console keeps `it` read-only, as
   * everywhere (docs/console.md): the remediation is biomedical engineering's work.
   */
  moveWorkOrders: (r: Role) => r === 'admin' || r === 'biomed',
  /** The maintenance-window feed: the API's roles. */
  readCalendar: (r: Role) => r === 'admin' || r === 'biomed' || r === 'it',
};
