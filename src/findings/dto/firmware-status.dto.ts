import { ApiProperty } from '@nestjs/swagger';

/** One device's standing (src/findings/firmware-status.service.ts): releases behind, and what fixes its findings. */
export class FirmwareStatusDto {
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({ type: String, nullable: true, example: '8.00.01', description: 'null: no firmware known' }) firmwareVersion!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '8.01.00', description: "The model's newest release; null: none recorded" }) latestRelease!:
    string | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "Releases newer than the device's firmware; null when that cannot be decided (no firmware, or versions that do not compare)",
  })
  releasesBehind!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Of those, the releases marked as security fixes' }) securityReleasesBehind!: number | null;
  @ApiProperty({ type: 'integer' }) openFindings!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The version that fixes every open finding; null when none is known to be safe or nothing is open',
  })
  minimumSafeVersion!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['update', 'no_fix', 'fix_unknown'], description: 'null: no open finding' }) action!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'update to 2.4.1 or later' }) actionText!: string | null;
}
