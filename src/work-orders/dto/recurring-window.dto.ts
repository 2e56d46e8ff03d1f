import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MaintenanceWindowDto } from './work-order.dto';

export class PutRecurringWindowDto {
  @ApiProperty({ maxLength: 200, example: 'Intensive Care' }) @IsString() @IsNotEmpty() @MaxLength(200) department!: string;
  @ApiProperty({
    maxLength: 500,
    example: 'FREQ=WEEKLY;BYDAY=TU;BYHOUR=22;BYMINUTE=0;BYSECOND=0',
    description: 'RFC 5545 RRULE value (DAILY, WEEKLY, MONTHLY or YEARLY; no COUNT or UNTIL); hours are wall-clock time in timeZone',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  rrule!: string;
  @ApiProperty({ maxLength: 50, example: 'PT4H', description: 'ISO 8601 duration, at most 7 days' }) @IsString() @IsNotEmpty() @MaxLength(50) duration!: string;
  @ApiProperty({ maxLength: 64, example: 'Europe/Berlin', description: 'IANA time zone' }) @IsString() @IsNotEmpty() @MaxLength(64) timeZone!: string;
}

export class RecurringWindowDto extends PutRecurringWindowDto {
  @ApiProperty({ description: 'The next slot from now', nullable: true, type: MaintenanceWindowDto })
  nextSlot!: MaintenanceWindowDto | null;
  @ApiProperty() updatedBy!: string;
  @ApiProperty() updatedAt!: Date;
}
