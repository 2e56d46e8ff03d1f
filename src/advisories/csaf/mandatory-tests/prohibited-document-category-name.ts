import type { CsafValidationError } from '../csaf-validation-error';

const PATH = '/document/category';

/** The category values of CSAF 2.0's profiles (section 4). */
const PROFILE_VALUES = ['csaf_base', 'csaf_security_incident_response', 'csaf_informational_advisory', 'csaf_security_advisory', 'csaf_vex'];

/**
 * Dashes, connectors (underscore and its variants) and white space, in any of their Unicode forms:
 * the spec removes them "on both sides before the match", and the TC states that the graphical
 * variants (en dash, non-breaking hyphen, fullwidth low line...) count as the same character.
 */
const SEPARATORS = /[\p{Pd}\p{Pc}\p{White_Space}\u2212]/gu;

function normalized(value: string): string {
  return value.replace(SEPARATORS, '').toLowerCase();
}

/**
 * What a document of the profile "CSAF Base" may not call itself: the value of any other profile
 * ("csaf_vex") and its name without the prefix ("vex"), both normalized.
 */
const PROHIBITED = new Map<string, string>(
  PROFILE_VALUES.filter((v) => v !== 'csaf_base').flatMap((value) => [
    [normalized(value), value],
    [normalized(value.replace(/^csaf_/, '')), value],
  ]),
);

/**
 * CSAF 2.0 mandatory test 6.1.26 (Prohibited Document Category Name). A category that is exactly
 * one of the profiles' values is that profile and passes. Any other category belongs to "CSAF
 * Base" and may neither start with the reserved prefix `csaf_` (case-insensitively) nor equal,
 * once normalized, the name or the value of another profile.
 *
 * Replaces the reference validator's test, which compares only with the names: it accepted
 * `csafsecurityadvisory` (the value `csaf_security_advisory` without its underscores), the TC's
 * failing document 6-1-26-04.
 */
export function prohibitedDocumentCategoryName(doc: unknown): CsafValidationError[] {
  const category = (doc as { document?: { category?: unknown } } | null)?.document?.category;
  if (typeof category !== 'string' || PROFILE_VALUES.includes(category)) return [];
  const error = (message: string): CsafValidationError[] => [{ path: PATH, message, test: 'mandatoryTest_6_1_26' }];
  if (category.toLowerCase().startsWith('csaf_')) {
    return error(`${shown(category)} starts with the reserved prefix "csaf_": only the CSAF profiles' own values may (${PROFILE_VALUES.join(', ')})`);
  }
  const profile = PROHIBITED.get(normalized(category));
  if (profile)
    return error(`${shown(category)} is a prohibited document category name: it reads as the profile "${profile}"; use "${profile}" or a name of your own`);
  return [];
}

/** The category quoted for a message; a long one is cut (the schema sets no length limit). */
function shown(category: string): string {
  return JSON.stringify(category.length > 80 ? `${category.slice(0, 80)}…` : category);
}
