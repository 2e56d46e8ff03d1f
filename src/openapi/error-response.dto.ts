import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every error answer (src/common/http-exception.filter.ts), as clients read it. */
export class ErrorResponseDto {
  @ApiProperty({ type: 'integer', example: 409, description: 'The HTTP status, repeated' }) statusCode!: number;
  @ApiProperty({ example: 'Conflict', description: 'The status text' }) error!: string;
  @ApiProperty({
    example: 'serialNumber: a device of this model with serial "SN-1" is already registered',
    description: 'What went wrong, starting with the field at fault when there is one',
  })
  message!: string;
  @ApiPropertyOptional({ type: [String], example: ['serialNumber: must be a string'], description: 'A 400 for refused input: one line per field' })
  fields?: string[];
}
