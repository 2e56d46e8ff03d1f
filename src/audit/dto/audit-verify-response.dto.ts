import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuditChainVerdict } from '../audit-chain';

export class AuditVerifyResponseDto {
  @ApiProperty({ description: 'true when every entry matches its hash and links to the one before it' }) ok!: boolean;
  @ApiProperty({ description: 'Entries checked', example: 1523 }) entries!: number;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'When ok: the newest entry (null: the log is empty). Record headId and headHash elsewhere to detect a later truncation or rewrite of the whole chain.',
  })
  headId?: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'When ok: the hash of the newest entry',
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  })
  headHash?: string | null;
  @ApiPropertyOptional({ description: 'When not ok: the first entry (lowest id) whose hash or parent link does not hold' }) firstBrokenId?: string;
  @ApiPropertyOptional({
    enum: ['hash_mismatch', 'prev_hash_mismatch'],
    description: 'hash_mismatch: the entry was altered; prev_hash_mismatch: an entry before it was removed, inserted or relinked',
  })
  reason?: string;
}

export function toAuditVerifyResponse(v: AuditChainVerdict): AuditVerifyResponseDto {
  return v.ok
    ? { ok: true, entries: v.entries, headId: v.headId, headHash: v.headHash }
    : { ok: false, entries: v.entries, firstBrokenId: v.firstBrokenId, reason: v.reason };
}
