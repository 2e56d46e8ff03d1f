import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import { createValidationPipe } from './validation.pipe';

class PartDto {
  @ApiProperty() @IsString() name!: string;
}

class CreateThingDto {
  @ApiProperty() @IsString() serialNumber!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() location?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() patientRef?: string | null;
  @ApiPropertyOptional({ type: [PartDto] }) @IsOptional() @ValidateNested({ each: true }) @Type(() => PartDto) parts?: PartDto[];
}

class UpdateThingDto extends PartialType(CreateThingDto) {}

const pipe = createValidationPipe();
const validate = (metatype: new () => object, value: unknown) => pipe.transform(value, { type: 'body', metatype });
const message = (metatype: new () => object, value: unknown) =>
  validate(metatype, value).then(
    () => 'accepted',
    (e: { message: string }) => e.message,
  );

describe('validation pipe: null only where the contract says nullable', () => {
  it('refuses null for a field required on create and optional on update', async () => {
    expect(await message(UpdateThingDto, { serialNumber: null })).toBe('serialNumber: must not be null');
  });

  it('refuses null for an optional field that is not nullable', async () => {
    expect(await message(CreateThingDto, { serialNumber: 'SN-1', location: null })).toBe('location: must not be null');
  });

  it('refuses null inside nested objects, naming the path', async () => {
    expect(await message(UpdateThingDto, { parts: [{ name: 'a' }, { name: null }] })).toContain('parts.1.name');
  });

  it('accepts null where the field is documented nullable, and absent fields', async () => {
    expect(await message(UpdateThingDto, { patientRef: null })).toBe('accepted');
    expect(await message(UpdateThingDto, {})).toBe('accepted');
  });

  it('leaves bodies without a DTO class (a CSAF document) as they are', async () => {
    const doc = { document: { notes: null } };
    expect(await pipe.transform(doc, { type: 'body', metatype: Object })).toBe(doc);
  });
});
