import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { Role, ROLES } from '../../auth/role';
import { UserEntity } from '../entities/user.entity';
import { isLocked } from '../login-lockout';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../password-policy';

export class CreateUserDto {
  @ApiProperty({ example: 'jane.doe@hospital.example', maxLength: 254, description: 'Unique, ignoring case' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Jane Doe', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  displayName!: string;

  @ApiProperty({ enum: ROLES, example: 'biomed' })
  @IsIn(ROLES as unknown as string[])
  role!: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for, and only for, the manufacturer role.' })
  @ValidateIf((o: CreateUserDto) => o.role === 'manufacturer' || o.manufacturerId !== undefined)
  @IsUUID()
  @IsOptional()
  manufacturerId?: string;

  @ApiProperty({
    example: 'infusion-pump-7Q!-ledger',
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description:
      "Initial password, to be given to the person out of band. At least 12 characters; common words, sequences and the person's own name or email are refused.",
  })
  @IsString()
  password!: string;
}

export class UserResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'jane.doe@hospital.example' }) email!: string;
  @ApiProperty({ example: 'Jane Doe' }) displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) manufacturerId!: string | null;
  @ApiProperty({ description: 'false until the person has confirmed an authenticator app at first login' }) mfaEnrolled!: boolean;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'Set while locked out after failed attempts' })
  lockedUntil!: Date | null;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) disabledAt!: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) lastLoginAt!: Date | null;
}

export function toUserResponse(u: UserEntity): UserResponseDto {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    manufacturerId: u.manufacturerId,
    mfaEnrolled: u.mfaEnrolled,
    lockedUntil: isLocked(u) ? u.lockedUntil : null,
    createdAt: u.createdAt,
    disabledAt: u.disabledAt,
    lastLoginAt: u.lastLoginAt,
  };
}
