import { parseAllowedHosts } from '../../config/webhook-allowed-hosts';
import { addressRefusal, AllowedHosts, nonPublicReason, parseWebhookUrl } from './webhook-target';

const allowed = (text: string) => {
  const parsed = parseAllowedHosts(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return new AllowedHosts(parsed.entries);
};

describe('webhook targets (SSRF rules)', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.8.9.10', 'a loopback address'],
    ['10.1.2.3', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['169.254.169.254', 'a link-local address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['0.0.0.0', 'an unspecified ("this network") address'],
    ['224.0.0.1', 'a multicast address'],
    ['255.255.255.255', 'a reserved address'],
    ['::1', 'a loopback address'],
    ['::', 'an unspecified address'],
    ['fe80::1', 'a link-local address'],
    ['fd00::1', 'a unique-local (private) address'],
    ['ff02::1', 'a multicast address'],
    ['::ffff:127.0.0.1', 'an IPv4-mapped address'],
    ['::ffff:7f00:1', 'an IPv4-mapped address'],
    ['64:ff9b::a00:1', 'an IPv4-translated address'],
  ])('refuses %s (%s)', (ip, reason) => {
    expect(nonPublicReason(ip)).toBe(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111'])('takes the public address %s', (ip) => {
    expect(nonPublicReason(ip)).toBeNull();
  });

  it('lets WEBHOOK_ALLOWED_HOSTS open a range or a host name, and nothing else', () => {
    const list = allowed('10.20.0.0/16, siem.internal, 127.0.0.1');
    expect(addressRefusal('x.example', '10.20.3.4', list)).toBeNull();
    expect(addressRefusal('x.example', '127.0.0.1', list)).toBeNull();
    expect(addressRefusal('SIEM.internal.', '192.168.1.1', list)).toBeNull();
    expect(addressRefusal('x.example', '10.21.0.1', list)).toMatch(
      /10\.21\.0\.1 is a private address; list the host or a range holding it in WEBHOOK_ALLOWED_HOSTS/,
    );
    expect(addressRefusal('x.example', '127.0.0.2', list)).toMatch(/loopback/);
  });

  it.each([
    ['ftp://example.org/x', 'must be an http:// or https:// URL'],
    ['file:///etc/passwd', 'must be an http:// or https:// URL'],
    ['https://user:pass@example.org/hook', 'must not carry credentials'],
    ['https://token@example.org/hook', 'must not carry credentials'],
    ['not a url', 'must be an absolute http:// or https:// URL'],
    ['/relative', 'must be an absolute http:// or https:// URL'],
  ])('refuses the URL %s', (url, message) => {
    const parsed = parseWebhookUrl(url);
    expect('error' in parsed && parsed.error).toContain(message);
  });

  it('takes an https URL with a path and a port', () => {
    const parsed = parseWebhookUrl('https://hooks.example.org:8443/services/T0/B0/x?y=1');
    expect('url' in parsed && parsed.url.hostname).toBe('hooks.example.org');
  });
});

describe('parseAllowedHosts', () => {
  it('reads hosts, addresses and ranges, ignoring case, spaces and empty items', () => {
    expect(parseAllowedHosts(' Siem.Local , 10.0.0.0/8,,::1, fd00::/8 ')).toEqual({
      entries: [
        { kind: 'host', name: 'siem.local' },
        { kind: 'cidr', address: '10.0.0.0', prefix: 8, family: 'ipv4' },
        { kind: 'cidr', address: '::1', prefix: 128, family: 'ipv6' },
        { kind: 'cidr', address: 'fd00::', prefix: 8, family: 'ipv6' },
      ],
    });
    expect(parseAllowedHosts(undefined)).toEqual({ entries: [] });
  });

  it.each(['10.0.0.0/33', '10.0.0.0/x', 'bad host!', 'host/8', '::1/129'])('refuses %s naming it', (entry) => {
    const parsed = parseAllowedHosts(`ok.example,${entry}`);
    expect('error' in parsed && parsed.error).toContain(entry);
  });
});
