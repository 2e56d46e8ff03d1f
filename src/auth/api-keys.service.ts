import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { uniqueViolation } from '../database/pg-errors';
import { InvalidInputError, NotFoundError } from '../common/domain-errors';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyRepository } from './api-key.repository';
import { displayPrefix, generateApiKeySecret, hashApiKeySecret } from './api-key-secret';
import { Principal, Role } from './role';

export interface NewApiKey {
  name: string;
  role: Role;
  manufacturerId?: string;
}

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Returns the secret once; only its hash is kept. */
  async create(actor: Principal, input: NewApiKey, secret = generateApiKeySecret()): Promise<{ entity: ApiKeyEntity; secret: string }> {
    if (input.role === 'manufacturer' && !input.manufacturerId) {
      throw new InvalidInputError('manufacturerId: is required for the manufacturer role');
    }
    if (input.role !== 'manufacturer' && input.manufacturerId) {
      throw new InvalidInputError('manufacturerId: only the manufacturer role is bound to a manufacturer');
    }
    try {
      const entity = await this.dataSource.transaction(async (manager) => {
        const saved = await manager.getRepository(ApiKeyEntity).save({
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
      if (e instanceof QueryFailedError && (e as { code?: string }).code === '23503') {
        throw new InvalidInputError(`manufacturerId: no manufacturer ${input.manufacturerId}`);
      }
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
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(ApiKeyEntity).update({ id }, { revokedAt: new Date() });
      await this.audit.record(manager, actor, { action: 'revoke', entityType: 'api_key', entityId: id, changes: null });
    });
  }

  async authenticate(secret: string): Promise<Principal | null> {
    const key = await this.keys.findActiveByHash(hashApiKeySecret(secret));
    if (!key) return null;
    void this.keys.touch(key.id).catch(() => undefined);
    return { kind: 'api-key', id: key.id, name: key.name, role: key.role, manufacturerId: key.manufacturerId ?? undefined };
  }

  /** Makes sure an admin can get in: the configured bootstrap key, or a fresh one printed once. */
  async ensureAdminAccess(bootstrapSecret: string | undefined): Promise<{ createdSecret?: string }> {
    const system: Principal = { kind: 'api-key', id: '00000000-0000-0000-0000-000000000000', name: 'system', role: 'admin' };
    if (bootstrapSecret) {
      const existing = await this.keys.findByHash(hashApiKeySecret(bootstrapSecret));
      if (existing) return {};
      try {
        await this.create(system, { name: 'bootstrap admin', role: 'admin' }, bootstrapSecret);
      } catch (e) {
        // Replicas booting together race here; the unique hash lets exactly one insert win.
        if (!uniqueViolation(e)) throw e;
      }
      return {};
    }
    if ((await this.keys.countActiveAdmins()) > 0) return {};
    const { secret } = await this.create(system, { name: 'first admin', role: 'admin' });
    return { createdSecret: secret };
  }
}
