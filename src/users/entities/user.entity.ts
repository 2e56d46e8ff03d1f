import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from '../../auth/role';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Stored lower-case; unique ignoring case. */
  @Column({ type: 'varchar' }) email!: string;
  @Column({ type: 'varchar' }) displayName!: string;
  @Column({ type: 'varchar' }) role!: Role;
  @Column({ type: 'uuid', nullable: true }) manufacturerId!: string | null;
  /** argon2id, PHC string. */
  @Column({ type: 'text' }) passwordHash!: string;
  /** Sealed with the data key (AES-256-GCM); pending until mfaEnrolled. */
  @Column({ type: 'text', nullable: true }) totpSecret!: string | null;
  @Column({ type: 'boolean' }) mfaEnrolled!: boolean;
  /** The last TOTP time step accepted: a code of this step or an earlier one is a replay. */
  @Column({ type: 'bigint', nullable: true }) totpLastStep!: string | null;
  @Column({ type: 'int' }) failedAttempts!: number;
  @Column({ type: 'timestamptz', nullable: true }) lockedUntil!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'varchar', nullable: true }) createdBy!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) disabledAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) lastLoginAt!: Date | null;
}
