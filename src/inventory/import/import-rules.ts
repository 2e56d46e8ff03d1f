/**
 * The rules every imported device must pass, the same as POST /devices: field formats from
 * CreateDeviceDto (run through class-validator, not copied), the UDI check, one serial per
 * model and one asset tag per hospital, within the file and against the inventory. Pure: the
 * service looks up models and taken serials and hands them in.
 */
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError } from '../../common/domain-errors';
import { describeValidationErrors } from '../../common/validation-errors';
import { CreateDeviceDto } from '../dto/device.dto';
import type { DeviceModelEntity } from '../entities/device-model.entity';
import { newDeviceFields, NewDeviceFields } from '../new-device';
import type { ParsedUdi } from '../udi';
import { checkUdi } from '../udi-check';
import { ImportField, ImportRow, RowError } from './import-row';

/** A model named by manufacturer and model number, spaces around each removed; matched ignoring case. */
export interface ModelName {
  manufacturer: string;
  modelNumber: string;
}

export interface ModelLookup {
  byId: Map<string, DeviceModelEntity>;
  /** Keyed by nameKey(); `manufacturerFound` tells "no such manufacturer" from "no such model". */
  byName: Map<string, { manufacturerFound: boolean; models: DeviceModelEntity[] }>;
}

/** Serials (per model) and asset tags the inventory already holds. */
export interface Taken {
  serials: Set<string>;
  assetTags: Set<string>;
}

/** A device ready to insert, with everything derived from its UDI, and the row it came from. */
export interface NewDevice extends NewDeviceFields {
  row: number;
}

/** A row whose fields passed and whose model is known (`dto.modelId` is the model's id). */
export interface BoundRow {
  source: ImportRow;
  dto: CreateDeviceDto;
  model: DeviceModelEntity;
}

export const nameKey = (n: ModelName): string => `${n.manufacturer.toLowerCase()}\u0000${n.modelNumber.toLowerCase()}`;
export const serialKey = (modelId: string, serial: string): string => `${modelId}\u0000${serial}`;

const MODEL_BY_NAME: ImportField[] = ['manufacturer', 'modelNumber'];
const MODEL_REF_MAX: Record<string, number> = { manufacturer: 200, modelNumber: 100 };

/**
 * Field checks that need nothing from the database: how the model is named, and every
 * CreateDeviceDto rule. Returns the rows that passed, each with its DTO.
 */
export function checkFields(rows: ImportRow[]): { passed: { source: ImportRow; dto: CreateDeviceDto }[]; errors: RowError[] } {
  const passed: { source: ImportRow; dto: CreateDeviceDto }[] = [];
  const errors: RowError[] = [];
  for (const row of rows) {
    const rowErrors = checkModelReference(row);
    const byName = row.values.modelId === undefined;
    const { manufacturer: _m, modelNumber: _n, ...fields } = row.values;
    const dto = plainToInstance(CreateDeviceDto, fields);
    // CreateDeviceDto has no async rules; the same options as the global ValidationPipe.
    for (const line of describeValidationErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }))) {
      const at = line.indexOf(': ');
      const property = line.slice(0, at) as ImportField;
      // A model named by manufacturer and number gets its id only after the lookup.
      if (byName && property === 'modelId') continue;
      rowErrors.push({ row: row.row, field: row.names[property] ?? property, message: line.slice(at + 2) });
    }
    if (rowErrors.length) errors.push(...rowErrors);
    else passed.push({ source: row, dto });
  }
  return { passed, errors };
}

function checkModelReference(row: ImportRow): RowError[] {
  const errors: RowError[] = [];
  const named = MODEL_BY_NAME.filter((f) => row.values[f] !== undefined);
  if (row.values.modelId !== undefined) {
    if (named.length)
      errors.push({ row: row.row, field: row.names.modelId ?? 'modelId', message: 'give either modelId or manufacturer and modelNumber, not both' });
    return errors;
  }
  for (const field of MODEL_BY_NAME) {
    const value = row.values[field];
    const name = row.names[field] ?? field;
    if (value === undefined) errors.push({ row: row.row, field: name, message: 'is required (or give modelId)' });
    else if (typeof value !== 'string' || !value.trim()) errors.push({ row: row.row, field: name, message: 'must be a non-empty string' });
    else if (value.length > MODEL_REF_MAX[field]) errors.push({ row: row.row, field: name, message: `must be at most ${MODEL_REF_MAX[field]} characters` });
  }
  return errors;
}

/** The model a row without modelId names (checkFields made sure both parts are non-blank strings). */
function modelNameOf(source: ImportRow): ModelName {
  return { manufacturer: String(source.values.manufacturer).trim(), modelNumber: String(source.values.modelNumber).trim() };
}

/** The model names and ids the rows refer to, deduplicated, for one lookup each. */
export function modelReferences(rows: { source: ImportRow }[]): { ids: string[]; names: ModelName[] } {
  const ids = new Set<string>();
  const names = new Map<string, ModelName>();
  for (const { source } of rows) {
    const { modelId } = source.values;
    if (typeof modelId === 'string') ids.add(modelId);
    else {
      const name = modelNameOf(source);
      if (!names.has(nameKey(name))) names.set(nameKey(name), name);
    }
  }
  return { ids: [...ids], names: [...names.values()] };
}

/** Attaches each row's model; unknown and ambiguous models are row errors. */
export function bindModels(rows: { source: ImportRow; dto: CreateDeviceDto }[], lookup: ModelLookup): { bound: BoundRow[]; errors: RowError[] } {
  const bound: BoundRow[] = [];
  const errors: RowError[] = [];
  for (const { source, dto } of rows) {
    const { modelId } = source.values;
    const fail = (field: ImportField, message: string) => errors.push({ row: source.row, field: source.names[field] ?? field, message });
    if (typeof modelId === 'string') {
      const model = lookup.byId.get(modelId);
      if (model) bound.push({ source, dto, model });
      else fail('modelId', `no device model ${modelId}`);
      continue;
    }
    const name = modelNameOf(source);
    const match = lookup.byName.get(nameKey(name));
    if (!match?.manufacturerFound) fail('manufacturer', `no manufacturer named "${name.manufacturer}" (name or alias, ignoring case)`);
    else if (!match.models.length) fail('modelNumber', `manufacturer "${name.manufacturer}" has no model "${name.modelNumber}"`);
    else if (match.models.length > 1)
      fail('manufacturer', `"${name.manufacturer}" names more than one manufacturer with a model "${name.modelNumber}"; use modelId`);
    else {
      dto.modelId = match.models[0].id;
      bound.push({ source, dto, model: match.models[0] });
    }
  }
  return { bound, errors };
}

/**
 * The last checks: the UDI against the model and serial, then uniqueness within the file
 * (the later row is the error, pointing at the earlier) and against the inventory.
 */
export function planDevices(rows: BoundRow[], taken: Taken): { devices: NewDevice[]; errors: RowError[] } {
  const devices: NewDevice[] = [];
  const errors: RowError[] = [];
  const serialRows = new Map<string, number>();
  const tagRows = new Map<string, number>();
  for (const { source, dto, model } of rows) {
    const rowErrors: RowError[] = [];
    const fail = (field: ImportField, message: string) => rowErrors.push({ row: source.row, field: source.names[field] ?? field, message });
    // Already trimmed by CreateDeviceDto, as on POST /devices.
    const serialNumber = dto.serialNumber;
    const assetTag = dto.assetTag ?? null;

    let udi: ParsedUdi | undefined;
    if (dto.udi) {
      try {
        udi = checkUdi(dto.udi, model, dto.serialNumber);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        fail('udi', e.message.replace(/^udi: /, ''));
      }
    }

    const serial = serialKey(model.id, serialNumber);
    const earlier = serialRows.get(serial);
    if (earlier !== undefined) fail('serialNumber', `"${serialNumber}" is already in row ${earlier} for the same model`);
    else if (taken.serials.has(serial)) fail('serialNumber', `a device of this model with serial "${serialNumber}" is already registered`);
    else serialRows.set(serial, source.row);

    if (assetTag !== null) {
      const earlierTag = tagRows.get(assetTag);
      if (earlierTag !== undefined) fail('assetTag', `"${assetTag}" is already in row ${earlierTag}`);
      else if (taken.assetTags.has(assetTag)) fail('assetTag', `another device already has asset tag "${assetTag}"`);
      else tagRows.set(assetTag, source.row);
    }

    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }
    devices.push({ row: source.row, ...newDeviceFields(dto, udi) });
  }
  return { devices, errors };
}
