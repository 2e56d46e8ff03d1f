import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { IsIsoInstant } from '../../common/validators/iso-date.validators';
import { acceptanceState, MAX_ACCEPTANCE_DAYS } from '../acceptance-rules';
import type { AcceptanceRecord } from '../finding-acceptances.repository';
import { FindingDto } from './finding-response.dto';

const NOT_BLANK = /\S/;

export class CreateFindingAcceptanceDto {
  @ApiProperty({ example: 'Pump is on an isolated VLAN until the vendor ships 8.01.00', maxLength: 2000, description: 'Why the risk is accepted' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'reason must not be empty' })
  @MaxLength(2000)
  reason!: string;

  @ApiProperty({ example: 'VLAN 40 with no route to the internet; wireless disabled', maxLength: 2000, description: 'What reduces the risk meanwhile' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'compensatingControl must not be empty' })
  @MaxLength(2000)
  compensatingControl!: string;

  @ApiProperty({
    example: '2026-09-30T00:00:00Z',
    description: `When the finding comes back on the report: in the future, at most ${MAX_ACCEPTANCE_DAYS} days ahead`,
  })
  @IsIsoInstant()
  expiresAt!: string;
}

export class FindingAcceptanceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '42' }) findingId!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() compensatingControl!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: Date;
  @ApiProperty({ description: 'Who accepted (API key or user id)' }) acceptedBy!: string;
  @ApiProperty({ type: String, format: 'date-time' }) acceptedAt!: Date;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) revokedAt!: Date | null;
  @ApiPropertyOptional({ type: String, nullable: true }) revokedBy!: string | null;
  @ApiProperty({
    enum: ['active', 'expired', 'revoked', 'ended'],
    description: 'active: hides the finding now; expired: its date passed; revoked: a person ended it; ended: the finding was resolved',
  })
  state!: string;
}

export class FindingDetailDto extends FindingDto {
  @ApiPropertyOptional({
    type: FindingAcceptanceDto,
    nullable: true,
    description: 'The latest risk acceptance of this finding, in whatever state; null: never accepted',
  })
  acceptance!: FindingAcceptanceDto | null;
}

/** `hidesNow`: whether the acceptance hides its finding now, by the database's clock (acceptance-rules.ts acceptanceState). */
export function toAcceptance(a: AcceptanceRecord, findingStatus: string, hidesNow: boolean): FindingAcceptanceDto {
  return {
    id: a.id,
    findingId: a.findingId,
    reason: a.reason,
    compensatingControl: a.compensatingControl,
    expiresAt: a.expiresAt,
    acceptedBy: a.acceptedBy,
    acceptedAt: a.acceptedAt,
    revokedAt: a.revokedAt,
    revokedBy: a.revokedBy,
    state: acceptanceState(a, findingStatus, hidesNow),
  };
}
