import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EpssStatusDto, KevStatusDto } from './threat-intel-status.dto';

export class KevLoadResultDto {
  @ApiProperty({ description: 'true: this catalogVersion was loaded already and nothing was written' }) unchanged!: boolean;
  @ApiProperty({ example: 12, description: 'CVEs that entered or left the catalog or changed their ransomware flag (0 when unchanged)' })
  changedCves!: number;
  @ApiProperty({ type: KevStatusDto }) kev!: KevStatusDto;
}

export class EpssLoadResultDto {
  @ApiProperty({ description: 'true: this model_version and score_date were loaded already and nothing was written' }) unchanged!: boolean;
  @ApiProperty({ example: 296330, description: 'Score lines read (0 when unchanged: the file is not read past its first line)' }) rows!: number;
  @ApiProperty({
    type: Number,
    example: 1200,
    nullable: true,
    description:
      'CVEs whose score or percentile changed, appeared or went (0 when unchanged); null when more than the threshold changed (docs/threat-intel.md)',
  })
  changedCves!: number | null;
  @ApiProperty({ type: EpssStatusDto }) epss!: EpssStatusDto;
}

export class FeedPullResultDto {
  @ApiProperty({ enum: ['kev', 'epss'] }) feed!: 'kev' | 'epss';
  @ApiProperty({ enum: ['loaded', 'unchanged', 'failed', 'not_configured'] }) outcome!: 'loaded' | 'unchanged' | 'failed' | 'not_configured';
  @ApiPropertyOptional({ example: '2025.08.25', description: 'The version now loaded (KEV catalogVersion, EPSS model_version)' }) version?: string;
  @ApiPropertyOptional({ example: 'HTTP 404 from the feed URL', description: 'Why it failed' }) error?: string;
}

export class PullResultDto {
  @ApiProperty({ type: [FeedPullResultDto] }) feeds!: FeedPullResultDto[];
}
