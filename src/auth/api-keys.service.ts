import { Injectable } from '@nestjs/common';
import { AuditService, SYSTEM_ACTOR } from '../audit/audit.service';
import { foreignKeyViolation, uniqueViolation } from '../database/pg-errors';
import { InvalidInputError, NotFoundError } from '../common/domain-errors';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyRepository } from './api-key.repository';
import { displayPrefix, generateApiKeySecret, hashApiKeySecret } from './api-key-secret';
import { RecentlyVerifiedKeys } from './recently-verified-keys';
import { checkManufacturerBinding, Principal, Role } from './role';

export interface NewApiKey {
  name: string;
  role: Role;
  manufacturerId?: string;
}

@Injectable()
export class ApiKeysService {
  private readonly recent = new RecentlyVerifiedKeys();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditService,
  ) {}

  /** Returns the secret once; only its hash is kept. */
  async create(actor: Principal, input: NewApiKey, secret = generateApiKeySecret()): Promise<{ entity: ApiKeyEntity; secret: string }> {
    checkManufacturerBinding(input.role, input.manufacturerId);
    try {
      const entity = await this.keys.transaction(async (manager) => {
        const saved = await this.keys.insert(manager, {
          name: input.name,
          role: input.role,
          manufacturerId: input.manufacturerId ?? null,
          keyHash: hashApiKeySecret(secret),
          keyPrefix: displayPrefix(secret),
          createdBy: actor.id,
        });
        await this.audit.record(manager, actor, {
          action: 'create',
          entityType: 'api_key',
          entityId: saved.id,
          changes: { name: input.name, role: input.role, manufacturerId: input.manufacturerId ?? null },
        });
        return saved;
      });
      return { entity, secret };
    } catch (e) {
      if (foreignKeyViolation(e)) throw new InvalidInputError(`manufacturerId: no manufacturer ${input.manufacturerId}`);
      throw e;
    }
  }

  list(): Promise<ApiKeyEntity[]> {
    return this.keys.list();
  }

  async revoke(actor: Principal, id: string): Promise<void> {
    const key = await this.keys.findById(id);
    if (!key) throw new NotFoundError('API key', id);
    if (key.revokedAt) return;
    await this.keys.transaction(async (manager) => {
      await this.keys.revoke(manager, id);
      await this.audit.record(manager, actor, { action: 'revoke', entityType: 'api_key', entityId: id, changes: null });
    });
    this.recent.forget(key.keyHash);
  }

  /**
   * `whenDatabaseDown`: should the database fail to answer, a key it confirmed in the last few
   * minutes is taken as it was (RecentlyVerifiedKeys); only for routes that need no database.
   */
  async authenticate(secret: string, options: { whenDatabaseDown?: boolean } = {}): Promise<Principal | null> {
    const keyHash = hashApiKeySecret(secret);
    let key: ApiKeyEntity | null;
    try {
      key = await this.keys.findActiveByHash(keyHash);
    } catch (e) {
      const recalled = options.whenDatabaseDown ? this.recent.recall(keyHash, Date.now()) : null;
      if (recalled) return recalled;
      throw e;
    }
    if (!key) {
      this.recent.forget(keyHash);
      return null;
    }
    // The row just read says whether the coarse once-a-minute touch is due: most requests skip the write.
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() >= 60_000) void this.keys.touch(key.id).catch(() => undefined);
    const principal: Principal = { kind: 'api-key', id: key.id, name: key.name, role: key.role, manufacturerId: key.manufacturerId ?? undefined };
    // Kept only where it can be used: a scraper confirms its key at every scrape.
    if (options.whenDatabaseDown) this.recent.remember(keyHash, principal, Date.now());
    return principal;
  }

  /** Makes sure an admin can get in: the configured bootstrap key, or a fresh one printed once. */
  async ensureAdminAccess(bootstrapSecret: string | undefined): Promise<{ createdSecret?: string }> {
    if (bootstrapSecret) {
      const existing = await this.keys.findByHash(hashApiKeySecret(bootstrapSecret));
      if (existing) return {};
      try {
        await this.create(SYSTEM_ACTOR, { name: 'bootstrap admin', role: 'admin' }, bootstrapSecret);
      } catch (e) {
        // Replicas booting together race here; the unique hash lets exactly one insert win.
        if (!uniqueViolation(e)) throw e;
      }
      return {};
    }
    if ((await this.keys.countActiveAdmins()) > 0) return {};
    const { secret } = await this.create(SYSTEM_ACTOR, { name: 'first admin', role: 'admin' });
    return { createdSecret: secret };
  }
}
