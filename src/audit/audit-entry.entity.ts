import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('audit_log')
export class AuditEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'timestamptz' }) at!: Date;
  @Column({ type: 'varchar' }) actorKind!: string;
  @Column({ type: 'varchar', nullable: true }) actorId!: string | null;
  @Column({ type: 'varchar' }) actorName!: string;
  @Column({ type: 'varchar' }) action!: string;
  @Column({ type: 'varchar' }) entityType!: string;
  @Column({ type: 'varchar', nullable: true }) entityId!: string | null;
  @Column({ type: 'jsonb', nullable: true }) changes!: Record<string, unknown> | null;
  @Column({ type: 'char', length: 64 }) prevHash!: string;
  @Column({ type: 'char', length: 64 }) hash!: string;
}
