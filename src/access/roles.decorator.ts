import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Role } from './role';

export const ROLES_KEY = 'iomt:roles';
export const PUBLIC_KEY = 'iomt:public';
/** The OpenAPI extension that carries an operation's roles (read by src/openapi). */
export const ROLES_EXTENSION = 'x-roles';

/**
 * The roles allowed on a route. A route that declares none is refused to everyone. The roles
 * also go into the OpenAPI document, which documents 401 and 403 from them (src/openapi).
 */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension(ROLES_EXTENSION, roles));

/** Reachable without credentials: health, docs, and the login steps that lead to a session. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const AUTH_RATE_LIMIT_KEY = 'iomt:auth-rate-limit';

/** A login step: limited per client address by RATE_LIMIT_AUTH_PER_MIN instead of the write limit. */
export const AuthRateLimit = () => SetMetadata(AUTH_RATE_LIMIT_KEY, true);

export const AVAILABLE_WITHOUT_DATABASE_KEY = 'iomt:available-without-database';

/**
 * A route that needs no database (the metrics): while the database cannot be reached, an API
 * key it confirmed in the last few minutes still opens it (src/auth/recently-verified-keys.ts).
 */
export const AvailableWithoutDatabase = () => SetMetadata(AVAILABLE_WITHOUT_DATABASE_KEY, true);
