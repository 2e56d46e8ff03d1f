import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { QueryInt } from '../../../common/validators/query-number.validators';

const FHIR_TOTAL_MODES = ['accurate', 'none'] as const;

/**
 * FHIR R4 Device search parameters we serve. Any other parameter is refused with a 400 rather
 * than ignored: silently dropping a filter would hand a client more devices than it asked for.
 */
export class FhirDeviceSearchDto {
  @ApiPropertyOptional({ description: 'Token: exact serial number or asset tag (`SN-1`, `|SN-1`); comma = or', example: 'SN-0042-7781' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  identifier?: string;

  @ApiPropertyOptional({ description: 'String: start of the manufacturer name, ignoring case; comma = or', example: 'Baxter' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  manufacturer?: string;

  @ApiPropertyOptional({ description: 'String: start of the model number, ignoring case; comma = or', example: '35700' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  model?: string;

  @ApiPropertyOptional({
    description: 'Token: active (our active and maintenance), inactive (decommissioned), entered-in-error, unknown; comma = or. Default: every status',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  status?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500, description: 'Page size' })
  @IsOptional()
  @QueryInt(1, 500)
  _count?: number;

  @ApiPropertyOptional({ enum: FHIR_TOTAL_MODES, default: 'accurate', description: '`none` skips counting (cheaper on large inventories)' })
  @IsOptional()
  @IsIn(FHIR_TOTAL_MODES as unknown as string[])
  _total?: (typeof FHIR_TOTAL_MODES)[number];

  @ApiPropertyOptional({ description: "Page token: follow the Bundle's `next` link rather than building it" })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  _cursor?: string;
}
