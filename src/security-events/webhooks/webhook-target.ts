import { BlockList, isIP } from 'node:net';
import { AllowedHostEntry } from '../../config/webhook-allowed-hosts';

/**
 * Server-side request forgery rules for webhook targets (docs/security-events.md): a webhook
 * makes this service send requests on an admin's say-so, so it must not become a way into the
 * hospital's internal network or the cloud's metadata service.
 */

/** Address ranges never reached unless WEBHOOK_ALLOWED_HOSTS lists them. */
const NOT_PUBLIC: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'an unspecified ("this network") address'],
  ['10.0.0.0', 8, 'ipv4', 'a private address'],
  ['100.64.0.0', 10, 'ipv4', 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local address'],
  ['172.16.0.0', 12, 'ipv4', 'a private address'],
  ['192.0.0.0', 24, 'ipv4', 'a protocol-assignment address'],
  ['192.0.2.0', 24, 'ipv4', 'a documentation address'],
  ['192.168.0.0', 16, 'ipv4', 'a private address'],
  ['198.18.0.0', 15, 'ipv4', 'a benchmarking address'],
  ['198.51.100.0', 24, 'ipv4', 'a documentation address'],
  ['203.0.113.0', 24, 'ipv4', 'a documentation address'],
  ['224.0.0.0', 4, 'ipv4', 'a multicast address'],
  ['240.0.0.0', 4, 'ipv4', 'a reserved address'],
  ['::', 128, 'ipv6', 'an unspecified address'],
  ['::1', 128, 'ipv6', 'a loopback address'],
  // IPv4 written as IPv6 (mapped, translated, 6to4) could name any IPv4 address behind it.
  ['::ffff:0:0', 96, 'ipv6', 'an IPv4-mapped address'],
  ['64:ff9b::', 96, 'ipv6', 'an IPv4-translated address'],
  ['64:ff9b:1::', 48, 'ipv6', 'an IPv4-translated address'],
  ['2002::', 16, 'ipv6', 'a 6to4 address'],
  ['100::', 64, 'ipv6', 'a discard-only address'],
  ['2001:db8::', 32, 'ipv6', 'a documentation address'],
  ['fc00::', 7, 'ipv6', 'a unique-local (private) address'],
  ['fe80::', 10, 'ipv6', 'a link-local address'],
  ['ff00::', 8, 'ipv6', 'a multicast address'],
];

const RANGES = NOT_PUBLIC.map(([address, prefix, family, label]) => {
  const list = new BlockList();
  list.addSubnet(address, prefix, family);
  return { list, label, family };
});

const familyOf = (ip: string): 'ipv4' | 'ipv6' => (isIP(ip) === 4 ? 'ipv4' : 'ipv6');

/** Why an address is not public (e.g. "a loopback address"), or null for a public one. */
export function nonPublicReason(ip: string): string | null {
  const family = familyOf(ip);
  // Same family only: BlockList matches an IPv4 address against ::ffff:0:0/96 as its mapped form.
  for (const r of RANGES) if (r.family === family && r.list.check(ip, family)) return r.label;
  return null;
}

/** The allowlist as a checker: a host name listed, or an address inside a listed range. */
export class AllowedHosts {
  private readonly names: Set<string>;
  private readonly ranges = new BlockList();

  constructor(entries: readonly AllowedHostEntry[]) {
    this.names = new Set(entries.flatMap((e) => (e.kind === 'host' ? [e.name] : [])));
    for (const e of entries) if (e.kind === 'cidr') this.ranges.addSubnet(e.address, e.prefix, e.family);
  }

  hostListed(host: string): boolean {
    return this.names.has(normalizeHost(host));
  }

  addressListed(ip: string): boolean {
    return this.ranges.check(ip, familyOf(ip));
  }
}

/** Lower case, without IPv6 brackets or a trailing dot: as WEBHOOK_ALLOWED_HOSTS entries are kept. */
export function normalizeHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

/**
 * Null when the address may be reached for this host, else why not. A listed host name allows
 * whatever it resolves to (the hospital named it); otherwise the address must be public or in
 * a listed range.
 */
export function addressRefusal(host: string, ip: string, allowed: AllowedHosts): string | null {
  if (allowed.hostListed(host) || allowed.addressListed(ip)) return null;
  const reason = nonPublicReason(ip);
  return reason ? `${ip} is ${reason}; list the host or a range holding it in WEBHOOK_ALLOWED_HOSTS to allow it` : null;
}

/** The URL's own rules, before any name is resolved: http(s), a host, no credentials. Returns why not, or null. */
export function urlRefusal(url: URL): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (url.username || url.password) return 'must not carry credentials (user:password@); authenticate by the webhook signature';
  if (!url.hostname) return 'must name a host';
  return null;
}

/** The URL parsed, or why it cannot be a webhook target (for a 400 that names `url`). */
export function parseWebhookUrl(text: string): { url: URL } | { error: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: 'must be an absolute http:// or https:// URL' };
  }
  const refusal = urlRefusal(url);
  return refusal ? { error: refusal } : { url };
}

/** The host of a URL as the resolver takes it: an IPv6 literal without its brackets. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '');

/** Scheme, host and port only: what logs and the audit trail show, since a path can itself be a secret (chat webhooks). */
export const originOf = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid url)';
  }
};
