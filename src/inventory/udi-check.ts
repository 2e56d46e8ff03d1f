import { InvalidInputError } from '../common/domain-errors';
import { DeviceModelEntity } from './entities/device-model.entity';
import { ParsedUdi, parseUdi } from './udi';

/**
 * Parses a device's UDI and checks it against what else we know: the model's GTIN and the
 * serial number given with it. A disagreement is a 400 that says which part disagrees.
 */
export function checkUdi(raw: string, model: DeviceModelEntity, serialNumber: string | undefined): ParsedUdi {
  const parsed = parseUdi(raw);
  if (!parsed.ok) throw new InvalidInputError(`udi: ${parsed.error}`);
  const udi = parsed.udi;
  if (udi.issuer === 'GS1' && model.gtin && udi.deviceIdentifier !== model.gtin) {
    throw new InvalidInputError(`udi: device identifier ${udi.deviceIdentifier} does not match the model's GTIN ${model.gtin}`);
  }
  if (udi.serialNumber && serialNumber && udi.serialNumber !== serialNumber) {
    throw new InvalidInputError(`udi: serial ${udi.serialNumber} in the UDI does not match serialNumber ${serialNumber}`);
  }
  return udi;
}
