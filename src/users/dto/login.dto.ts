import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ROLES, Role } from '../../auth/role';
import { PASSWORD_MAX_LENGTH } from '../password-policy';

export class LoginDto {
  @ApiProperty({ example: 'jane.doe@hospital.example' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'infusion-pump-7Q!-ledger' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class LoginChallengeDto {
  @ApiProperty({
    enum: ['enroll', 'totp'],
    description: 'enroll: set up an authenticator app first (POST /auth/mfa/enroll); totp: give a code (POST /auth/mfa/verify)',
  })
  mfaRequired!: 'enroll' | 'totp';
  @ApiProperty({ example: 'iomtc_Zk3...', description: 'Single use, valid 5 minutes; not a bearer token' }) challengeToken!: string;
  @ApiProperty() expiresAt!: Date;
}

export class ChallengeDto {
  @ApiProperty({ example: 'iomtc_Zk3...' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  challengeToken!: string;
}

export class EnrollmentDto {
  @ApiProperty({
    example: 'otpauth://totp/IoMT%20Inventory:jane.doe%40hospital.example?secret=JBSW...&issuer=IoMT%20Inventory',
    description: 'Show as a QR code',
  })
  otpauthUri!: string;
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', description: 'The same secret, for typing into the app by hand' }) secret!: string;
}

export class ConfirmEnrollmentDto extends ChallengeDto {
  @ApiProperty({ example: '492039', description: 'The 6-digit code the authenticator app shows now' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'must be the 6 digits shown by the authenticator app' })
  code!: string;
}

export class VerifyMfaDto extends ChallengeDto {
  @ApiPropertyOptional({ example: '492039', description: 'The 6-digit code of the authenticator app; or give recoveryCode' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'must be the 6 digits shown by the authenticator app' })
  code?: string;

  @ApiPropertyOptional({ example: 'k7qm-2xwa-p4dn-t6hy', description: 'One of the recovery codes given at enrolment (each works once)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  recoveryCode?: string;
}

export class SessionDto {
  @ApiProperty({ example: 'iomts_9fQ...', description: 'Bearer token: Authorization: Bearer <accessToken>' }) accessToken!: string;
  @ApiProperty() expiresAt!: Date;
}

export class EnrolledSessionDto extends SessionDto {
  @ApiProperty({ type: [String], example: ['k7qm-2xwa-p4dn-t6hy'], description: 'Ten single-use recovery codes, shown only now: store them offline' })
  recoveryCodes!: string[];
}

export class WhoAmIDto {
  @ApiProperty({ enum: ['api-key', 'user'] }) kind!: 'api-key' | 'user';
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'The email of a person, the name of an API key' }) name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) manufacturerId!: string | null;
}
