import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsIsoInstant } from '../../common/validators/iso-date.validators';
import { QueryInt } from '../../common/validators/query-number.validators';
import { DECISIONS, Decision } from '../decision';
import { WORK_ORDER_STATUSES, WorkOrderStatus } from '../work-order-status';

export class MaintenanceWindowInputDto {
  @ApiProperty({ example: '2026-03-02T22:00:00Z' }) @IsIsoInstant() start!: string;
  @ApiProperty({ example: '2026-03-03T02:00:00Z' }) @IsIsoInstant() end!: string;
}

export class ClinicalApprovalInputDto {
  @ApiPropertyOptional({ maxLength: 2000, example: 'ICU pumps may go down 22:00-02:00' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class ManufacturerValidationInputDto {
  @ApiProperty({ maxLength: 200, example: 'VAL-2026-0142' }) @IsString() @IsNotEmpty() @MaxLength(200) reference!: string;
}

/** Fields a person sets on an order, at creation or later. */
class WorkOrderFieldsDto {
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) @IsOptional() @IsUUID() assigneeUserId?: string | null;
  @ApiPropertyOptional({ type: MaintenanceWindowInputDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => MaintenanceWindowInputDto)
  maintenanceWindow?: MaintenanceWindowInputDto | null;
  @ApiPropertyOptional({ maxLength: 5000, nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(5000) notes?: string | null;
}

export class CreateWorkOrdersDto extends WorkOrderFieldsDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'One device (exactly one of deviceId, deviceIds, modelId)' }) @IsOptional() @IsUUID() deviceId?: string;
  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 10000, description: 'Several devices' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  deviceIds?: string[];
  @ApiPropertyOptional({ format: 'uuid', description: 'The whole active fleet of a model' }) @IsOptional() @IsUUID() modelId?: string;
}

export class UpdateWorkOrderDto extends WorkOrderFieldsDto {
  @ApiPropertyOptional({ enum: WORK_ORDER_STATUSES, description: 'done is refused (409): only proof from the device reaches it' })
  @IsOptional()
  @IsIn(WORK_ORDER_STATUSES as unknown as string[])
  status?: WorkOrderStatus;
  @ApiPropertyOptional({ maxLength: 2000, description: 'Required with status cancelled or risk_accepted' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason?: string;
  @ApiPropertyOptional({ type: ClinicalApprovalInputDto, description: 'Sign-off by the caller, now' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClinicalApprovalInputDto)
  clinicalApproval?: ClinicalApprovalInputDto;
  @ApiPropertyOptional({
    type: ManufacturerValidationInputDto,
    description: "The manufacturer's answer to the validation request (the only field a manufacturer key may set)",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ManufacturerValidationInputDto)
  manufacturerValidated?: ManufacturerValidationInputDto;
}

const list = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;

export class WorkOrderQueryDto {
  @ApiPropertyOptional({ description: 'Comma-separated', example: 'open,scheduled' })
  @IsOptional()
  @Transform(list)
  @IsIn(WORK_ORDER_STATUSES as unknown as string[], { each: true })
  status?: WorkOrderStatus[];
  @ApiPropertyOptional({ description: 'Comma-separated', example: 'immediate' })
  @IsOptional()
  @Transform(list)
  @IsIn(DECISIONS as unknown as string[], { each: true })
  decision?: Decision[];
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() assignee?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) department?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() model?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() deviceId?: string;
  @ApiPropertyOptional({ description: 'true: active orders past their due date; false: the others' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
  @ApiPropertyOptional({ example: '2026-04-01T00:00:00Z' }) @IsOptional() @IsIsoInstant() dueBefore?: string;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(500) cursor?: string;
  @ApiPropertyOptional({ default: 100, maximum: 1000, description: 'CSV: every row up to 100,000 unless limit is given' })
  @IsOptional()
  @QueryInt(1, 100000)
  limit?: number;
}

export class UpdateWorkOrderPolicyDto {
  @ApiProperty({ enum: DECISIONS, isArray: true, example: ['immediate', 'out_of_cycle'] })
  @IsArray()
  @ArrayUnique()
  @IsIn(DECISIONS as unknown as string[], { each: true })
  autoOpenDecisions!: Decision[];
}

export class CalendarQueryDto {
  @ApiPropertyOptional({ maxLength: 200, description: 'Only this department; default: every department', example: 'Intensive Care' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  department?: string;
}
