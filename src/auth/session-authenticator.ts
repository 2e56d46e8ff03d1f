import { Principal } from './role';

/**
 * The guard's view of people's sessions. Auth defines it and the users module implements it,
 * so auth does not depend on users (and the dependency between the two modules stays one-way).
 */
export abstract class SessionAuthenticator {
  /** The person behind a live session token, or null (unknown, expired, revoked, or disabled). */
  abstract authenticate(token: string): Promise<Principal | null>;
}
