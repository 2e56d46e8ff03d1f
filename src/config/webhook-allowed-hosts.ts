import { isIP } from 'node:net';

/** One entry of WEBHOOK_ALLOWED_HOSTS: a host name (matched exactly, ignoring case) or an address range. */
export type AllowedHostEntry = { kind: 'host'; name: string } | { kind: 'cidr'; address: string; prefix: number; family: 'ipv4' | 'ipv6' };

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/;

/**
 * Parses the comma-separated list; an address without a prefix is a range of one. Returns the
 * entry that is neither a host name nor an address (range) as the error, for the boot message.
 */
export function parseAllowedHosts(text: string | undefined): { entries: AllowedHostEntry[] } | { error: string } {
  const entries: AllowedHostEntry[] = [];
  for (const raw of (text ?? '').split(',')) {
    const item = raw.trim().toLowerCase();
    if (!item) continue;
    const [address, prefixText, extra] = item.split('/');
    const family = isIP(address.replace(/^\[|\]$/g, ''));
    if (family) {
      const bare = address.replace(/^\[|\]$/g, '');
      const max = family === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
      if (extra !== undefined || !(prefix >= 0 && prefix <= max)) return { error: `"${raw.trim()}" is not an address range (prefix 0-${max})` };
      entries.push({ kind: 'cidr', address: bare, prefix, family: family === 4 ? 'ipv4' : 'ipv6' });
      continue;
    }
    if (prefixText !== undefined || !HOST_NAME.test(item)) return { error: `"${raw.trim()}" is neither a host name nor an address or CIDR range` };
    entries.push({ kind: 'host', name: item.replace(/\.$/, '') });
  }
  return { entries };
}
