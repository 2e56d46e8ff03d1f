import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsString, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { ISO_DURATION, RemediationDue } from '../remediation-durations';
import type { RemediationPolicyRecord } from '../remediation-policy.repository';

const DURATION_MESSAGE = { message: 'must be an ISO-8601 duration of whole numbers such as P2D, P2W or PT12H (or null: no due date)' };

function DueField(decision: string, example: string | null) {
  return (target: object, key: string) => {
    ApiProperty({
      type: String,
      nullable: true,
      example,
      description: `Time allowed to remediate a finding decided ${decision}, counted from when it reached that decision; null: no due date`,
    })(target, key);
    ValidateIf((o: Record<string, unknown>) => o[key] !== null)(target, key);
    IsString(DURATION_MESSAGE)(target, key);
    Matches(ISO_DURATION, DURATION_MESSAGE)(target, key);
  };
}

export class RemediationDueDto implements RemediationDue {
  @DueField('immediate', 'P2D') immediate!: string | null;
  @DueField('out_of_cycle', 'P14D') out_of_cycle!: string | null;
  @DueField('scheduled', 'P90D') scheduled!: string | null;
  @DueField('defer', null) defer!: string | null;
}

export class PutRemediationPolicyDto {
  @ApiProperty({ type: RemediationDueDto, description: 'All four decisions; each an ISO-8601 duration or null' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RemediationDueDto)
  due!: RemediationDueDto;
}

export class RemediationPolicyResponseDto {
  @ApiProperty({ type: RemediationDueDto }) due!: RemediationDueDto;
  @ApiProperty({ type: String, nullable: true, description: 'Id of the key or user who last changed it; null: the defaults' }) updatedBy!: string | null;
  @ApiProperty() updatedAt!: Date;
}

export function toRemediationPolicyResponse(p: RemediationPolicyRecord): RemediationPolicyResponseDto {
  return {
    due: { immediate: p.due.immediate, out_of_cycle: p.due.out_of_cycle, scheduled: p.due.scheduled, defer: p.due.defer },
    updatedBy: p.updatedBy,
    updatedAt: p.updatedAt,
  };
}
