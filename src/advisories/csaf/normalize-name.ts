/**
 * Matching key for vendor and product names under the contract rule "equal ignoring case, spacing
 * and punctuation": NFKC, lower-case, then keep only Unicode letters and digits.
 *
 *   normalizeName('Becton, Dickinson and Company (BD)') === 'bectondickinsonandcompanybd'
 *   normalizeName('Ｐｈｉｌｉｐｓ') === normalizeName('PHILIPS') === 'philips'
 *
 * Diacritics are letters and are kept ('Yhtymä' and 'Yhtyma' are different names).
 *
 * Mojibake: CSAF files sometimes carry UTF-8 that was decoded as Latin-1 once ('Innokas YhtymÃ¤ Oy'
 * in icsma-21-007-01). That one case is undone before normalising, because the repair is exact
 * and cannot fire on a real name by accident (see repairMojibake). Nothing else is guessed: a
 * U+FFFD replacement character is simply dropped like punctuation, so such a name only matches if
 * the lost character was the only difference - otherwise it stays unmatched for a person to map.
 */
export function normalizeName(s: string): string {
  if (typeof s !== 'string') return '';
  return repairMojibake(s)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** A lead byte C2-F4 read as Latin-1, followed by the right number of continuation bytes 80-BF. */
const LATIN1_DECODED_UTF8 = /[\u00C2-\u00DF][\u0080-\u00BF]|[\u00E0-\u00EF][\u0080-\u00BF]{2}|[\u00F0-\u00F4][\u0080-\u00BF]{3}/;

/**
 * Undo "UTF-8 bytes decoded as Latin-1" (e.g. 'YhtymÃ¤' -> 'Yhtymä'), only when that is certain:
 * every character is in U+0000-U+00FF (so it can be turned back into the bytes it came from), at
 * least one UTF-8 multi-byte sequence is present, and the bytes decode as UTF-8 without a single
 * error. Any other string is returned unchanged.
 */
export function repairMojibake(s: string): string {
  if (typeof s !== 'string' || !LATIN1_DECODED_UTF8.test(s)) return s;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return s;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(s, 'latin1'));
  } catch {
    return s;
  }
}
