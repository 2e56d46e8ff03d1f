import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Principal } from '../auth/role';
import { InvalidInputError } from '../common/domain-errors';
import { DevicesService } from '../inventory/devices.service';
import { DEVICE_DECOMMISSIONED, DeviceDecommissionedEvent } from '../inventory/inventory.events';
import { BrokerAuthenticator } from '../mqtt/broker-authenticator';
import { EmbeddedBroker } from '../mqtt/embedded-broker';
import { EMBEDDED_BROKER } from '../mqtt/mqtt.module';
import { DeviceCredentialsRepository } from './device-credentials.repository';

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/**
 * Issues each device its MQTT username (its id) and a random secret, and checks them for the
 * embedded broker. Secrets carry 256 bits of entropy, so a fast hash is enough.
 */
@Injectable()
export class DeviceCredentialsService implements BrokerAuthenticator, OnModuleInit {
  constructor(
    private readonly repository: DeviceCredentialsRepository,
    private readonly devices: DevicesService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EMBEDDED_BROKER) private readonly broker: EmbeddedBroker | null,
  ) {}

  onModuleInit(): void {
    this.broker?.setAuthenticator(this);
  }

  async issue(actor: Principal, deviceId: string): Promise<{ username: string; password: string }> {
    const device = await this.devices.get(deviceId);
    if (device.status === 'decommissioned') throw new InvalidInputError('id: a decommissioned device gets no credentials');
    const password = randomBytes(32).toString('base64url');
    const username = device.id;
    await this.dataSource.transaction(async (m) => {
      await this.repository.upsert(m, device.id, username, sha256(password), actor.id);
      await this.audit.record(m, actor, { action: 'issue_credentials', entityType: 'device', entityId: device.id, changes: { username } });
    });
    // The old secret no longer opens a connection; one already open must not outlive it.
    this.broker?.endSessionsOf(device.id);
    return { username, password };
  }

  /** A decommissioned device's credentials are refused from the commit on; its open connections end with them. */
  @OnEvent(DEVICE_DECOMMISSIONED)
  endSessions(event: DeviceDecommissionedEvent): void {
    this.broker?.endSessionsOf(event.deviceId);
  }

  async verify(username: string, password: Buffer): Promise<string | null> {
    const found = await this.repository.findActive(username);
    if (!found) return null;
    const given = Buffer.from(sha256(password), 'hex');
    const stored = Buffer.from(found.secretHash, 'hex');
    return given.length === stored.length && timingSafeEqual(given, stored) ? found.deviceId : null;
  }
}
