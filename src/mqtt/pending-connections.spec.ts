import { PendingConnections } from './pending-connections';

describe('PendingConnections', () => {
  it('admits up to the per-address limit, and again once one is released', () => {
    const pending = new PendingConnections(10, 2);
    expect(pending.admit('a:1', 'a')).toBe(true);
    expect(pending.admit('a:2', 'a')).toBe(true);
    expect(pending.admit('a:3', 'a')).toBe(false);
    expect(pending.admit('b:1', 'b')).toBe(true);
    pending.release('a:1');
    expect(pending.admit('a:3', 'a')).toBe(true);
  });

  it('admits no more than the overall limit, whatever the addresses', () => {
    const pending = new PendingConnections(2, 2);
    expect(pending.admit('a:1', 'a')).toBe(true);
    expect(pending.admit('b:1', 'b')).toBe(true);
    expect(pending.admit('c:1', 'c')).toBe(false);
    expect(pending.size).toBe(2);
  });

  it('counts a connection once, and releasing twice frees one slot only', () => {
    const pending = new PendingConnections(10, 2);
    pending.admit('a:1', 'a');
    pending.admit('a:1', 'a');
    pending.admit('a:2', 'a');
    pending.release('a:1');
    pending.release('a:1');
    expect(pending.size).toBe(1);
    expect(pending.admit('a:3', 'a')).toBe(true);
    expect(pending.admit('a:4', 'a')).toBe(false);
  });
});
