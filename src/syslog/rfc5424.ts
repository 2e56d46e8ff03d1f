import { toWellFormed } from '../common/unicode';

/**
 * RFC 5424 syslog messages and their RFC 6587 octet-counting frame. Pure: no I/O.
 *
 * The grammar is small but strict, so it is written out here rather than taken from a package:
 * the npm syslog clients we looked at either send RFC 3164 or newline-terminated RFC 5424
 * without structured data, and none frames by octet counting (docs/siem.md, "Why hand-written").
 */

/** One SD-PARAM. `optional` ones are the first to go when a datagram must be shortened. */
export interface SdParam {
  name: string;
  value: string;
  optional?: boolean;
}

export interface SyslogMessage {
  /** 0-23 (RFC 5424 section 6.2.1). */
  facility: number;
  /** 0 (emergency) to 7 (debug). */
  severity: number;
  /** An RFC 3339 timestamp as RFC 5424 section 6.2.3 restricts it (upper-case T and Z, at most 6 fraction digits). */
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  /** SD-ID of the one SD-ELEMENT every message carries (`name@PEN`). */
  sdId: string;
  params: SdParam[];
  /** Human text. Kept to printable US-ASCII by the caller, so it goes without a BOM (MSG-ANY). */
  msg: string;
}

const NILVALUE = '-';

/** PRINTUSASCII (33-126) cut to the field's maximum length; NILVALUE when nothing is left. */
export function headerField(value: string, maxLength: number): string {
  const printable = value.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength);
  return printable.length > 0 ? printable : NILVALUE;
}

/** RFC 5424 section 6.3.3: inside PARAM-VALUE, '"', '\' and ']' are escaped with a backslash. */
export function escapeParamValue(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

function structuredData(sdId: string, params: SdParam[]): string {
  return `[${sdId}${params.map((p) => ` ${p.name}="${escapeParamValue(p.value)}"`).join('')}]`;
}

/** The message as bytes: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG`, UTF-8. */
export function formatRfc5424(m: SyslogMessage): Buffer {
  const pri = m.facility * 8 + m.severity;
  const header = [
    `<${pri}>1`,
    m.timestamp,
    headerField(m.hostname, 255),
    headerField(m.appName, 48),
    headerField(m.procId, 128),
    headerField(m.msgId, 32),
  ].join(' ');
  const text = `${header} ${structuredData(m.sdId, m.params)}${m.msg ? ` ${m.msg}` : ''}`;
  return Buffer.from(toWellFormed(text), 'utf8');
}

/** RFC 6587 section 3.4.1 (and RFC 5425 for TLS): `MSG-LEN SP SYSLOG-MSG`, MSG-LEN in octets. */
export function octetCountingFrame(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${message.length} `, 'ascii'), message]);
}

/** The longest prefix of `bytes` of at most `max` octets that does not split a UTF-8 sequence. */
export function utf8Prefix(bytes: Buffer, max: number): Buffer {
  if (bytes.length <= max) return bytes;
  let end = max;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

/**
 * One UDP datagram of at most `maxBytes` octets. A longer message is shortened so that it stays
 * well-formed as long as possible: first the optional parameters go (and `truncated="true"`
 * says so), then the MSG is cut; only if the header and the required parameters alone are still
 * too long is the message cut at the limit (on a UTF-8 character boundary).
 */
export function fitDatagram(m: SyslogMessage, maxBytes: number): Buffer {
  const whole = formatRfc5424(m);
  if (whole.length <= maxBytes) return whole;
  const reduced: SyslogMessage = { ...m, params: [...m.params.filter((p) => !p.optional), { name: 'truncated', value: 'true' }], msg: '' };
  const withoutMsg = formatRfc5424(reduced);
  // " " + MSG: the space is only there when some MSG is.
  const room = maxBytes - withoutMsg.length - 1;
  if (room > 0) return formatRfc5424({ ...reduced, msg: utf8Prefix(Buffer.from(m.msg, 'utf8'), room).toString('utf8') });
  return utf8Prefix(withoutMsg, maxBytes);
}
