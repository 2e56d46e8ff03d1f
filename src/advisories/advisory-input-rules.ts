import { parseRange, parseVersion } from '../firmware';
import { InvalidInputError } from '../common/domain-errors';
import { AffectedProductDto } from './dto/advisory-input.dto';

/**
 * Through the native API, a range or fixed version we cannot read is the caller's error: a 400
 * that quotes it. (In an imported CSAF document the same is kept for review instead.)
 */
export function assertReadableAffected(affected: AffectedProductDto[]): void {
  affected.forEach((a, i) => {
    const range = parseRange(a.versions);
    // parseRange's reason quotes the text (once); quoting it here too repeated it.
    if (!range.ok) throw new InvalidInputError(`affected[${i}].versions: ${range.error}`);
    if (a.fixedVersion !== undefined && !parseVersion(a.fixedVersion)) {
      throw new InvalidInputError(`affected[${i}].fixedVersion: "${a.fixedVersion}" is not a version we can compare`);
    }
  });
}
