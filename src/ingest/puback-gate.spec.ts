import { mayResumeIntake, mustHoldIntake } from './puback-gate';

// The back-pressure rule alone; how the gate holds and writes PUBACKs on a real broker is
// proven in test/puback-gate.e2e-spec.ts.
describe('PubackGate back-pressure rule', () => {
  it.each([
    [3, 4, false],
    [4, 4, true],
    [5, 4, true],
  ])('holds intake with %i uncommitted at a high-water mark of %i: %s', (uncommitted, highWater, hold) => {
    expect(mustHoldIntake(uncommitted, highWater)).toBe(hold);
  });

  it.each([
    [3, 4, false],
    [2, 4, false],
    [1, 4, true],
    [0, 1, true],
  ])('resumes intake with %i uncommitted at a high-water mark of %i: %s', (uncommitted, highWater, resume) => {
    expect(mayResumeIntake(uncommitted, highWater)).toBe(resume);
  });
});
