import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AssumedInput } from '../priority-inputs';
import { AUTOMATABLE, DECISIONS, EXPLOITATION, HUMAN_IMPACT, MISSION_IMPACT, SAFETY_IMPACT, SYSTEM_EXPOSURE } from '../ssvc-decision-points';

const ASSUMABLE: AssumedInput[] = ['exploitation', 'automatable', 'systemExposure', 'safetyImpact', 'missionImpact'];

export const PRIORITY_DESCRIPTION =
  "The finding's CERT/CC SSVC deployer decision (patch-application priority) with the inputs it was made from. " +
  'immediate: act now, outside every cycle; out_of_cycle: before the next maintenance cycle; scheduled: in the next planned cycle; defer: not now. ' +
  "Exploitation is active when CISA KEV lists a CVE of the advisory, else the analyst's value (PATCH /vulnerabilities/{cve}), else the CSAF document's, else none; " +
  "automatable is the analyst's, else read from the CVSS vector (AV:N, PR:N, UI:N: yes), else yes; system exposure and mission impact are the device's, " +
  "safety impact the device's or else its model's; human impact comes from safety and mission impact through SSVC's human impact table. " +
  'An input nobody set takes a conservative value and is named in `assumed` (docs/prioritisation.md).';

/** The priority of one open finding, made from its stored decision and inputs (stored-priority.ts). */
export class PriorityDto {
  @ApiProperty({ enum: DECISIONS, example: 'immediate' }) decision!: string;
  @ApiProperty({ enum: EXPLOITATION, example: 'active' }) exploitation!: string;
  @ApiProperty({ enum: AUTOMATABLE, example: 'yes' }) automatable!: string;
  @ApiProperty({ enum: SYSTEM_EXPOSURE, example: 'open' }) systemExposure!: string;
  @ApiProperty({ enum: SAFETY_IMPACT, example: 'catastrophic' }) safetyImpact!: string;
  @ApiProperty({ enum: MISSION_IMPACT, example: 'mission_failure' }) missionImpact!: string;
  @ApiProperty({ enum: HUMAN_IMPACT, example: 'very_high' }) humanImpact!: string;
  @ApiProperty({ description: 'A CVE of the advisory is in the loaded CISA KEV catalog' }) inKev!: boolean;
  @ApiProperty({ description: 'KEV says it is known to be used in ransomware campaigns' }) knownRansomware!: boolean;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 0.94432, description: 'Highest EPSS score among its CVEs; null: none loaded' }) epss!:
    number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 0.99964, description: 'Percentile of that score' }) epssPercentile!: number | null;
  @ApiProperty({
    example: 'SSVCv2/A:Y/E:A/EXP:O/HI:VH/MI:MF/SI:C/',
    description:
      "SSVC's vector string: SSVC's keys of Automatable, Exploitation, System Exposure, Human Impact, Mission Impact and Safety Impact with their values",
  })
  vector!: string;
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the remediation policy wants it fixed; null: no due date for this decision',
  })
  dueAt!: string | null;
  @ApiProperty({ enum: ASSUMABLE, isArray: true, example: [], description: 'Inputs nobody set, decided with their conservative default' })
  assumed!: AssumedInput[];
}
