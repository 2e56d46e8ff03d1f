import { passwordProblem } from './password-policy';

const person = { email: 'jane.doe@hospital.example', displayName: 'Jane Doe' };

describe('passwordProblem', () => {
  it.each(['correct horse battery staple', 'Tr0ub4dor&3-xylophone', 'infusion-pump-7Q!-ledger', 'zq8#Lm2@vR5!'])(
    'accepts a long, unguessable password: %s',
    (password) => {
      expect(passwordProblem(password, person)).toBeNull();
    },
  );

  it.each([
    ['short1!A', 'must be at least 12 characters'],
    ['a'.repeat(257), 'must be at most 256 characters'],
    ['aaaaaaaaaaaaaaaa', 'is too repetitive: use at least 5 different characters'],
    ['abababab1212', 'is too repetitive: use at least 5 different characters'],
    ['123456789012', 'is a keyboard or alphabet sequence'],
    ['qwertyuiopas', 'is a keyboard or alphabet sequence'],
    ['abcdefghijkl', 'is a keyboard or alphabet sequence'],
    ['Password1234!', 'is too common: a common word with digits or symbols around it'],
    ['!!Hospital2024', 'is too common: a common word with digits or symbols around it'],
    ['welcomewelcome1', 'is too common: a common word with digits or symbols around it'],
    ['2024-12-31!#$%', 'is only digits and symbols: use 16 or more characters, or add words'],
    ['jane.doe.is.great', 'must not contain your email or name'],
    ['xx-Jane-rules-42-xx', 'must not contain your email or name'],
  ])('refuses %s: %s', (password, problem) => {
    expect(passwordProblem(password, person)).toBe(problem);
  });
});
