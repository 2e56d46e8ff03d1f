// Every migration, in order. Listed explicitly (not globbed) so the app, the CLI and the
// tests load exactly the same reviewed set whether they run compiled JS or TypeScript.
import { CreateApiKeys1764300000000 } from './1764300000000-CreateApiKeys';
import { CreateAuditLog1764300001000 } from './1764300001000-CreateAuditLog';

export const migrations = [CreateApiKeys1764300000000, CreateAuditLog1764300001000];
