import { ApiProperty } from '@nestjs/swagger';

export class DeviceImportResultDto {
  @ApiProperty({ example: 2 }) imported!: number;
  @ApiProperty({ type: [String], format: 'uuid', description: 'Ids of the new devices, in the order of the file' }) ids!: string[];
}

export class ImportRowErrorDto {
  @ApiProperty({ example: 3, description: '1-based data row of the CSV (header excluded) or entry of the Bundle' }) row!: number;
  @ApiProperty({ nullable: true, type: String, example: 'serialNumber', description: 'Column or FHIR element; null when the row itself cannot be read' })
  field!: string | null;
  @ApiProperty({ example: 'is already in row 1 for the same model' }) message!: string;
}

export class ImportRejectedDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'nothing imported: 1 problem in 1 row; first: row 3 serialNumber: "SN-1" is already in row 1 for the same model' }) message!: string;
  @ApiProperty({ type: [ImportRowErrorDto], description: 'At most 1,000; the message gives the full count' }) rows!: ImportRowErrorDto[];
}
