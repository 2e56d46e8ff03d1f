import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { QueryInt } from '../../common/validators/query-number.validators';

/** FHIR R4 Task search parameters we serve; any other is refused (400), never silently ignored. */
export class FhirTaskSearchDto {
  @ApiPropertyOptional({
    description: 'Reference: the Device the task is for (`Device/{id}` or the id)',
    example: 'Device/0b1f3c1e-8d38-4c56-9d6f-3f2a1c0e9b7d',
  })
  @IsOptional()
  @IsString()
  @Matches(/^(Device\/)?[0-9a-fA-F-]{36}$/, { message: 'focus: must be Device/{uuid} or a device uuid' })
  focus?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500, description: 'Page size' })
  @IsOptional()
  @QueryInt(1, 500)
  _count?: number;

  @ApiPropertyOptional({ description: "Page token: follow the Bundle's `next` link rather than building it" })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  _cursor?: string;
}
