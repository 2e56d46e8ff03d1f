import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { X509Certificate } from 'node:crypto';

export type SyslogProtocol = 'tcp' | 'tls' | 'udp';

/** Where security events (and, with SYSLOG_AUDIT, audit entries) go: parsed from SYSLOG_URL. */
export interface SyslogTarget {
  protocol: SyslogProtocol;
  host: string;
  port: number;
  /** tls only: extra trusted CA certificates (PEM) from SYSLOG_CA_FILE, added to the default ones. */
  ca?: Buffer;
}

export const SYSLOG_URL_PATTERN = /^(tcp|tls|udp):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/;

/** The facilities of RFC 5424 section 6.2.1, by the names syslog.conf uses, with their codes. */
export const SYSLOG_FACILITIES = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  ntp: 12,
  security: 13,
  console: 14,
  solaris_cron: 15,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
} as const;
export type SyslogFacilityName = keyof typeof SYSLOG_FACILITIES;

/**
 * Parses SYSLOG_URL (already matched against SYSLOG_URL_PATTERN) and reads SYSLOG_CA_FILE, so that
 * a wrong port, a CA file for a plain connection or an unreadable file stops the start instead of
 * failing every delivery later.
 */
export function readSyslogTarget(url: string | undefined, caFile: string | undefined): { target: SyslogTarget | null } | { errors: string[] } {
  if (!url) return caFile ? { errors: [`SYSLOG_CA_FILE=${JSON.stringify(caFile)}: needs SYSLOG_URL=tls://host:port`] } : { target: null };
  const m = SYSLOG_URL_PATTERN.exec(url);
  if (!m) return { errors: [`SYSLOG_URL=${JSON.stringify(url)}: must be tcp://host:port, tls://host:port or udp://host:port`] };
  const protocol = m[1] as SyslogProtocol;
  const host = m[2].startsWith('[') ? m[2].slice(1, -1) : m[2];
  const port = Number(m[3]);
  const errors: string[] = [];
  if (port < 1 || port > 65535) errors.push(`SYSLOG_URL=${JSON.stringify(url)}: the port must be 1-65535`);
  if (m[2].startsWith('[') && isIP(host) !== 6) errors.push(`SYSLOG_URL=${JSON.stringify(url)}: [${host}] is not an IPv6 address`);
  if (caFile && protocol !== 'tls') errors.push(`SYSLOG_CA_FILE=${JSON.stringify(caFile)}: only used with SYSLOG_URL=tls://host:port`);
  let ca: Buffer | undefined;
  if (caFile && protocol === 'tls') {
    try {
      ca = readFileSync(caFile);
    } catch (e) {
      errors.push(`SYSLOG_CA_FILE=${JSON.stringify(caFile)}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      if (ca) new X509Certificate(ca);
    } catch {
      errors.push(`SYSLOG_CA_FILE=${JSON.stringify(caFile)}: is not a PEM certificate`);
    }
  }
  if (errors.length > 0) return { errors };
  return { target: { protocol, host, port, ...(ca ? { ca } : {}) } };
}
