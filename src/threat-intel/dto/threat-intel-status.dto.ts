import { ApiProperty } from '@nestjs/swagger';
import { FeedRecord, PullRecord } from '../threat-intel.repository';

export class KevStatusDto {
  @ApiProperty({ example: '2025.08.25', description: "The catalog's catalogVersion" }) catalogVersion!: string;
  @ApiProperty({ type: String, example: '2025-08-25T17:04:19.979Z', format: 'date-time', nullable: true, description: "The catalog's dateReleased" })
  dateReleased!: string | null;
  @ApiProperty({ example: 1404, description: 'Vulnerabilities in the loaded catalog' }) entries!: number;
  @ApiProperty({ format: 'date-time' }) loadedAt!: string;
  @ApiProperty({ type: String, example: 'it-analyst', nullable: true, description: 'Name of the key or person who loaded it (null: the scheduled pull)' })
  loadedBy!: string | null;
  @ApiProperty({ enum: ['upload', 'pull'] }) origin!: 'upload' | 'pull';
}

export class EpssStatusDto {
  @ApiProperty({ example: 'v2025.03.14', description: "The file's model_version" }) modelVersion!: string;
  @ApiProperty({ type: String, example: '2025-08-25T12:55:00.000Z', format: 'date-time', nullable: true, description: "The file's score_date" })
  scoreDate!: string | null;
  @ApiProperty({ example: 296330, description: 'CVEs scored' }) entries!: number;
  @ApiProperty({ format: 'date-time' }) loadedAt!: string;
  @ApiProperty({ type: String, example: 'it-analyst', nullable: true, description: 'Name of the key or person who loaded it (null: the scheduled pull)' })
  loadedBy!: string | null;
  @ApiProperty({ enum: ['upload', 'pull'] }) origin!: 'upload' | 'pull';
}

export class FeedPullStatusDto {
  @ApiProperty({ description: 'Whether the feed URL (KEV_URL or EPSS_URL) is set; the URL itself is never shown (it may carry a token)' })
  configured!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Last pull attempt, by any replica' }) lastAttemptAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Last pull that loaded the feed or found it unchanged' }) lastSuccessAt!:
    string | null;
  @ApiProperty({ type: String, nullable: true, example: 'HTTP 503 from the feed URL', description: 'Why the last attempt failed; null when it succeeded' })
  lastError!: string | null;
}

export class PullStatusDto {
  @ApiProperty({ example: 86400, description: 'THREAT_INTEL_PULL_INTERVAL_S' }) intervalSeconds!: number;
  @ApiProperty({ type: FeedPullStatusDto }) kev!: FeedPullStatusDto;
  @ApiProperty({ type: FeedPullStatusDto }) epss!: FeedPullStatusDto;
}

export class ThreatIntelStatusDto {
  @ApiProperty({ type: KevStatusDto, nullable: true, description: 'The loaded KEV catalog; null when none is loaded' }) kev!: KevStatusDto | null;
  @ApiProperty({ type: EpssStatusDto, nullable: true, description: 'The loaded day of EPSS scores; null when none is loaded' }) epss!: EpssStatusDto | null;
  @ApiProperty({ type: PullStatusDto }) pull!: PullStatusDto;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toKevStatus(f: FeedRecord): KevStatusDto {
  return {
    catalogVersion: f.version,
    dateReleased: iso(f.releasedAt),
    entries: f.entries,
    loadedAt: f.loadedAt.toISOString(),
    loadedBy: f.loadedBy,
    origin: f.origin,
  };
}

export function toEpssStatus(f: FeedRecord): EpssStatusDto {
  return {
    modelVersion: f.version,
    scoreDate: iso(f.releasedAt),
    entries: f.entries,
    loadedAt: f.loadedAt.toISOString(),
    loadedBy: f.loadedBy,
    origin: f.origin,
  };
}

export function toFeedPullStatus(configured: boolean, p: PullRecord | undefined): FeedPullStatusDto {
  return { configured, lastAttemptAt: iso(p?.lastAttemptAt ?? null), lastSuccessAt: iso(p?.lastSuccessAt ?? null), lastError: p?.lastError ?? null };
}
