import { SetMetadata } from '@nestjs/common';
import { Role } from './role';

export const ROLES_KEY = 'iomt:roles';
export const PUBLIC_KEY = 'iomt:public';

/** The roles allowed on a route. A route that declares none is refused to everyone. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Reachable without credentials: health and docs only. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
