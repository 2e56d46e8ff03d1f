import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsIsoInstant } from '../../common/validators/iso-date.validators';
import { DECISIONS, Decision } from '../decision';

export class RemediationReportQueryDto {
  @ApiPropertyOptional({ description: 'Start of the period (inclusive); default: 30 days before to', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsIsoInstant()
  from?: string;
  @ApiPropertyOptional({ description: 'End of the period (exclusive); default: now', example: '2026-04-01T00:00:00Z' })
  @IsOptional()
  @IsIsoInstant()
  to?: string;
}

export class RemediationFiguresDto {
  @ApiProperty({ description: 'Active orders now (open, scheduled, in progress, verifying)', example: 12 }) open!: number;
  @ApiProperty({ description: 'Active orders past their due date now', example: 3 }) overdue!: number;
  @ApiProperty({ description: 'Orders proved done in the period', example: 40 }) doneInPeriod!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Median hours from detection to the verified fix (done in the period)', example: 30.5 })
  medianHoursToFix!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '90th percentile of the same', example: 200 }) p90HoursToFix!: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Of the orders done in the period that had a due date, the share verified by it (0-1)',
    example: 0.925,
  })
  verifiedWithinDueShare!: number | null;
}

export class DecisionFiguresDto extends RemediationFiguresDto {
  @ApiProperty({ enum: DECISIONS }) decision!: Decision;
}

export class DepartmentFiguresDto extends RemediationFiguresDto {
  @ApiProperty({ nullable: true, type: String, description: 'null: devices with no department', example: 'Intensive Care' }) department!: string | null;
}

export class RemediationReportDto {
  @ApiProperty() from!: Date;
  @ApiProperty() to!: Date;
  @ApiProperty() generatedAt!: Date;
  @ApiProperty({ type: RemediationFiguresDto }) total!: RemediationFiguresDto;
  @ApiProperty({ type: [DecisionFiguresDto] }) byDecision!: DecisionFiguresDto[];
  @ApiProperty({ type: [DepartmentFiguresDto] }) byDepartment!: DepartmentFiguresDto[];
}
