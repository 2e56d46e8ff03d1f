import type { SafetyImpact } from '../../prioritisation/ssvc-decision-points';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const DEVICE_CATEGORIES = ['wearable', 'implantable', 'facility', 'other'] as const;
export type DeviceCategory = (typeof DEVICE_CATEGORIES)[number];

@Entity('device_models')
export class DeviceModelEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) manufacturerId!: string;
  @Column() modelNumber!: string;
  @Column() name!: string;
  @Column({ type: 'varchar' }) category!: DeviceCategory;
  @Column({ type: 'char', length: 14, nullable: true }) gtin!: string | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) aliases!: string[];
  /** SSVC safety impact of a device of this model unless the device overrides it; null: nobody said. */
  @Column({ type: 'varchar', nullable: true }) safetyImpact!: SafetyImpact | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
