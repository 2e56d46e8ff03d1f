import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Other names advisories use for a manufacturer or a model: up to 50, each 1-200 characters. */
export const IsAliasList = () =>
  applyDecorators(IsOptional(), IsArray(), ArrayMaxSize(50), IsString({ each: true }), IsNotEmpty({ each: true }), MaxLength(200, { each: true }));
