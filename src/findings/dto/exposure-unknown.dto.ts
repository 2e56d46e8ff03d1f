import { ApiProperty } from '@nestjs/swagger';

/** A device on an affected model whose exposure to one advisory cannot be decided. */
export class ExposureUnknownDto {
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ example: 'Baxter', description: 'Manufacturer name' }) manufacturer!: string;
  @ApiProperty({ example: 'Sigma Spectrum', description: 'Model name' }) model!: string;
  @ApiProperty({ type: String, nullable: true }) location!: string | null;
  @ApiProperty({ type: String, nullable: true }) department!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'null: no firmware known (reason no_firmware)' }) firmwareVersion!: string | null;
  @ApiProperty({ format: 'uuid' }) advisoryId!: string;
  @ApiProperty() advisoryTitle!: string;
  @ApiProperty({ type: String, nullable: true, example: 'ICSMA-21-012-01' }) trackingId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '<2.4.1', description: "The advisory's version ranges for the device's model, joined with ' || '" })
  affectedVersions!: string | null;
  @ApiProperty({
    enum: ['no_firmware', 'not_comparable', 'under_investigation'],
    description:
      "not_comparable: the firmware and the range are versions of different shapes; under_investigation: the advisory's document says the manufacturer is still investigating this model (VEX)",
  })
  reason!: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'Undecidable since' }) since!: Date;
}
