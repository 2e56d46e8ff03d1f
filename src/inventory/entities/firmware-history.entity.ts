import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const FIRMWARE_CHANGE_SOURCES = ['registration', 'edit', 'heartbeat', 'import'] as const;
export type FirmwareChangeSource = (typeof FIRMWARE_CHANGE_SOURCES)[number];

@Entity('firmware_history')
export class FirmwareHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'uuid' }) deviceId!: string;
  @Column({ type: 'varchar', nullable: true }) fromVersion!: string | null;
  @Column({ type: 'varchar', nullable: true }) toVersion!: string | null;
  @Column({ type: 'varchar' }) source!: FirmwareChangeSource;
  @Column({ type: 'timestamptz' }) changedAt!: Date;
  @Column({ type: 'varchar', nullable: true }) actorId!: string | null;
}
