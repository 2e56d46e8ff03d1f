export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

// Words that, with digits or symbols around them, make most "long enough" leaked passwords.
const COMMON_WORDS = new Set([
  'password',
  'passw0rd',
  'p@ssword',
  'p@ssw0rd',
  'welcome',
  'letmein',
  'qwerty',
  'qwertz',
  'azerty',
  'admin',
  'administrator',
  'iloveyou',
  'monkey',
  'dragon',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'superman',
  'changeme',
  'default',
  'secret',
  'master',
  'login',
  'hospital',
  'medical',
  'nurse',
  'doctor',
  'health',
  'iomt',
  'device',
  'firmware',
  'abc',
  'abcd',
  'test',
  'summer',
  'winter',
  'spring',
  'autumn',
  'january',
  'december',
  'trustno',
  'whatever',
  'starwars',
  'computer',
  'internet',
]);
const SEQUENCES = ['01234567890123456789', '98765432109876543210', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm', '1qaz2wsx3edc4rfv5tgb'];

/**
 * A minimal, explainable policy (NIST SP 800-63B style: length over composition rules): at
 * least 12 characters, not a keyboard or alphabet run, not one character repeated, not a
 * common word padded with digits and symbols, and not built from the person's own email or
 * name. Returns what is wrong, or null.
 */
export function passwordProblem(password: string, person: { email: string; displayName?: string }): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (new Set(lower).size < 5) return 'is too repetitive: use at least 5 different characters';
  const alnum = lower.replace(/[^a-z0-9]/g, '');
  if (alnum.length >= 8 && SEQUENCES.some((s) => s.includes(alnum))) return 'is a keyboard or alphabet sequence';
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (core === '' && password.length < 16) return 'is only digits and symbols: use 16 or more characters, or add words';
  if (COMMON_WORDS.has(core) || COMMON_WORDS.has(repeatedUnit(core))) return 'is too common: a common word with digits or symbols around it';
  const names = [person.email.split('@')[0], ...(person.displayName ?? '').split(/\s+/)].map((n) => n.toLowerCase()).filter((n) => n.length >= 4);
  if (names.some((n) => lower.includes(n))) return 'must not contain your email or name';
  return null;
}

/** 'welcomewelcome' -> 'welcome'; a string that is not a repetition is its own unit. */
function repeatedUnit(s: string): string {
  for (let k = 1; k <= s.length / 2; k++) {
    if (s.length % k === 0 && s.slice(0, k).repeat(s.length / k) === s) return s.slice(0, k);
  }
  return s;
}
