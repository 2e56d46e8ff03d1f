import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Principal } from '../../access/role';
import { AuditService } from '../../audit/audit.service';
import { DataProtector } from '../../auth/data-protector';
import { webhookSecretContext } from '../../auth/sealed-columns';
import { cursorFields, decodeCursor, encodeCursor } from '../../common/cursor-codec';
import { InvalidInputError, NotFoundError } from '../../common/domain-errors';
import { AppConfig } from '../../config/app-config';
import { CreateWebhookDto, DeliveryQueryDto, UpdateWebhookDto } from '../dto/webhook.dto';
import { resolveAllowed } from './webhook-sender';
import { newWebhookSecret } from './webhook-signer';
import { AllowedHosts, hostOf, originOf, parseWebhookUrl } from './webhook-target';
import { DeliveryRow, WebhookRow, WebhooksRepository } from './webhooks.repository';

const ID_FIELD = (v: unknown) => typeof v === 'string' && /^[0-9]{1,18}$/.test(v);
const CURSOR_REFUSAL = 'cursor: is not a nextCursor of this listing, or is damaged';

@Injectable()
export class WebhooksService {
  private readonly allowed: AllowedHosts;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly protector: DataProtector,
    private readonly audit: AuditService,
    config: AppConfig,
  ) {
    this.allowed = new AllowedHosts(config.webhookAllowedHosts);
  }

  /** The endpoint and its signing secret, which exists in clear only in this answer. */
  async create(actor: Principal, dto: CreateWebhookDto): Promise<{ webhook: WebhookRow; secret: string }> {
    const url = await this.checkedUrl(dto.url);
    const id = randomUUID();
    const secret = newWebhookSecret();
    const webhook = await this.repository.transaction(async (m) => {
      const row = await this.repository.insert(m, {
        id,
        url,
        events: dto.events,
        description: dto.description ?? null,
        secretSealed: this.protector.seal(secret, webhookSecretContext(id)),
      });
      // The origin only: a URL's path or query can itself be a credential (chat webhooks).
      await this.audit.record(m, actor, { action: 'create', entityType: 'webhook', entityId: id, changes: { origin: originOf(url), events: dto.events } });
      return row;
    });
    return { webhook, secret };
  }

  list(): Promise<WebhookRow[]> {
    return this.repository.list();
  }

  async get(id: string): Promise<WebhookRow> {
    const row = await this.repository.findById(id);
    if (!row) throw new NotFoundError('webhook', id);
    return row;
  }

  async update(actor: Principal, id: string, dto: UpdateWebhookDto): Promise<WebhookRow> {
    const url = dto.url !== undefined ? await this.checkedUrl(dto.url) : undefined;
    const row = await this.repository.transaction(async (m) => {
      const updated = await this.repository.update(m, id, { url, events: dto.events, description: dto.description, enabled: dto.enabled });
      if (updated)
        await this.audit.record(m, actor, {
          action: 'update',
          entityType: 'webhook',
          entityId: id,
          changes: { ...(url ? { origin: originOf(url) } : {}), events: dto.events, description: dto.description, enabled: dto.enabled },
        });
      return updated;
    });
    if (!row) throw new NotFoundError('webhook', id);
    return row;
  }

  async remove(actor: Principal, id: string): Promise<void> {
    const gone = await this.repository.transaction(async (m) => {
      const row = await this.repository.delete(m, id);
      if (row) await this.audit.record(m, actor, { action: 'delete', entityType: 'webhook', entityId: id, changes: { origin: originOf(row.url) } });
      return row;
    });
    if (!gone) throw new NotFoundError('webhook', id);
  }

  async deliveries(id: string, q: DeliveryQueryDto): Promise<{ items: DeliveryRow[]; nextCursor: string | null }> {
    await this.get(id);
    const limit = q.limit ?? 50;
    const beforeId = q.cursor ? (decodeCursor(q.cursor, [cursorFields.exactly('deliveries'), ID_FIELD], CURSOR_REFUSAL)[1] as string) : undefined;
    const items = await this.repository.deliveries(id, beforeId, limit);
    return { items, nextCursor: items.length === limit ? encodeCursor(['deliveries', items[items.length - 1].id]) : null };
  }

  /**
   * The SSRF rules at creation (docs/security-events.md): scheme, no credentials, and every
   * address the name resolves to public or allowed. Checked again at every delivery, since DNS
   * can change after this check.
   */
  private async checkedUrl(text: string): Promise<string> {
    const parsed = parseWebhookUrl(text.trim());
    if ('error' in parsed) throw new InvalidInputError(`url: ${parsed.error}`);
    const resolved = await resolveAllowed(hostOf(parsed.url), this.allowed);
    if ('error' in resolved) throw new InvalidInputError(`url: ${resolved.error}`);
    return parsed.url.toString();
  }
}
