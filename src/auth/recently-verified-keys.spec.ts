import { RecentlyVerifiedKeys, STALE_KEY_MAX_AGE_MS } from './recently-verified-keys';
import { Principal } from './role';

const principal = (id: string): Principal => ({ kind: 'api-key', id, name: id, role: 'it' });

describe('RecentlyVerifiedKeys', () => {
  it('recalls a key the database confirmed within the maximum age, and not after it', () => {
    const keys = new RecentlyVerifiedKeys();
    keys.remember('h1', principal('a'), 1_000);
    expect(keys.recall('h1', 1_000 + STALE_KEY_MAX_AGE_MS)).toEqual(principal('a'));
    expect(keys.recall('h1', 1_000 + STALE_KEY_MAX_AGE_MS + 1)).toBeNull();
  });

  it('knows nothing of a key it was never told about, or was told to forget', () => {
    const keys = new RecentlyVerifiedKeys();
    keys.remember('h1', principal('a'), 0);
    keys.forget('h1');
    expect(keys.recall('h1', 0)).toBeNull();
    expect(keys.recall('h2', 0)).toBeNull();
  });

  it('keeps the 1,000 most recently confirmed keys', () => {
    const keys = new RecentlyVerifiedKeys();
    for (let i = 0; i < 1_000; i++) keys.remember(`h${i}`, principal(`k${i}`), i);
    keys.remember('h0', principal('k0'), 1_000); // confirmed again: now the newest
    keys.remember('h1000', principal('k1000'), 1_001);
    expect(keys.recall('h0', 1_001)).toEqual(principal('k0'));
    expect(keys.recall('h1', 1_001)).toBeNull();
    expect(keys.recall('h1000', 1_001)).toEqual(principal('k1000'));
  });
});
