import { normalizeName } from '../advisories/csaf/normalize-name';

export interface NamedManufacturer {
  id: string;
  name: string;
  aliases: string[];
}

export interface NameCollision {
  field: 'name' | 'aliases';
  value: string;
  /** The manufacturer that already answers to it. */
  other: NamedManufacturer;
}

/**
 * The first of a manufacturer's name and aliases that another manufacturer already answers to,
 * compared as CSAF vendors are matched (ignoring case, spacing and punctuation). Two
 * manufacturers answering to one vendor name would leave an advisory's products to whichever
 * the mapper met last: the victim's devices would get no finding.
 */
export function findNameCollision(candidate: { id?: string; name: string; aliases: string[] }, others: NamedManufacturer[]): NameCollision | null {
  const taken = new Map<string, NamedManufacturer>();
  for (const other of others) {
    if (other.id === candidate.id) continue;
    for (const n of [other.name, ...other.aliases]) {
      const key = normalizeName(n);
      if (key) taken.set(key, other);
    }
  }
  const values: Array<[NameCollision['field'], string]> = [
    ['name', candidate.name],
    ...candidate.aliases.map((a): [NameCollision['field'], string] => ['aliases', a]),
  ];
  for (const [field, value] of values) {
    const other = taken.get(normalizeName(value));
    if (other) return { field, value, other };
  }
  return null;
}
