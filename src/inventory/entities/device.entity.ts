import type { MissionImpact, SafetyImpact, SystemExposure } from '../../prioritisation/ssvc-decision-points';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VirtualColumn } from 'typeorm';

/** Heartbeat-written fields live in device_presence (migration 1764300011000); read-only here. */
const presence = (column: string) => (alias: string) => `SELECT dp.${column} FROM device_presence dp WHERE dp.device_id = ${alias}.id`;

export const DEVICE_STATUSES = ['active', 'maintenance', 'decommissioned'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];
export const CONNECTIVITY = ['never_seen', 'online', 'offline'] as const;
export type Connectivity = (typeof CONNECTIVITY)[number];

@Entity('devices')
export class DeviceEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) modelId!: string;
  @Column() serialNumber!: string;
  @Column({ type: 'varchar', nullable: true }) assetTag!: string | null;
  @Column({ type: 'varchar', nullable: true }) udi!: string | null;
  @Column({ type: 'varchar', nullable: true }) udiDi!: string | null;
  @Column({ type: 'varchar', nullable: true }) lotNumber!: string | null;
  @Column({ type: 'date', nullable: true }) expirationDate!: string | null;
  @Column({ type: 'date', nullable: true }) manufactureDate!: string | null;
  @Column({ type: 'varchar', nullable: true }) firmwareVersion!: string | null;
  @Column({ type: 'varchar', nullable: true }) location!: string | null;
  @Column({ type: 'varchar', nullable: true }) department!: string | null;
  @Column({ type: 'varchar', default: 'active' }) status!: DeviceStatus;
  /** SSVC inputs; null: nobody said (the decision assumes a conservative value). */
  @Column({ type: 'varchar', nullable: true }) systemExposure!: SystemExposure | null;
  @Column({ type: 'varchar', nullable: true }) missionImpact!: MissionImpact | null;
  /** Overrides the model's safety impact for this device. */
  @Column({ type: 'varchar', nullable: true }) safetyImpact!: SafetyImpact | null;
  @VirtualColumn({ type: 'varchar', query: presence('connectivity') }) connectivity!: Connectivity;
  @VirtualColumn({ type: 'timestamptz', query: presence('last_seen_at') }) lastSeenAt!: Date | null;
  @VirtualColumn({ type: 'timestamptz', query: presence('last_heartbeat_sent_at') }) lastHeartbeatSentAt!: Date | null;
  @VirtualColumn({ type: 'smallint', query: presence('battery_percent') }) batteryPercent!: number | null;
  @VirtualColumn({ type: 'varchar', query: presence('ip_address') }) ipAddress!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) decommissionedAt!: Date | null;
  /** The patient link, sealed by the DataProtector (never plaintext); opened only for admin and biomed. */
  @Column({ type: 'text', nullable: true }) patientRefSealed!: string | null;
  /** The key id inside patientRefSealed, repeated so a rotation finds old rows by index. */
  @Column({ type: 'varchar', nullable: true }) patientRefKeyId!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
