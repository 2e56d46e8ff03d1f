/** One RFC 5424 line as a collector wrote it, read back without the service's own code. */
export interface SyslogLine {
  pri: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  sdId: string;
  params: Record<string, string>;
  msg: string;
  raw: string;
}

const HEADER = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) \[([^ \]=]+)((?: [^ =\]"]+="(?:[^"\\\]]|\\["\\\]])*")*)\](?: (.*))?$/;
const PARAM = / ([^ =\]"]+)="((?:[^"\\\]]|\\["\\\]])*)"/g;

/** Null when the line is not a well-formed RFC 5424 message with one SD-ELEMENT. */
export function parseSyslogLine(raw: string): SyslogLine | null {
  const m = HEADER.exec(raw);
  if (!m) return null;
  const params: Record<string, string> = {};
  for (const p of m[8].matchAll(PARAM)) params[p[1]] = p[2].replace(/\\(["\\\]])/g, '$1');
  return {
    pri: Number(m[1]),
    timestamp: m[2],
    hostname: m[3],
    appName: m[4],
    procId: m[5],
    msgId: m[6],
    sdId: m[7],
    params,
    msg: m[9] ?? '',
    raw,
  };
}

/** The well-formed lines of one channel (`audit` or a security event type), in the order received. */
export function syslogLines(lines: string[], which: 'audit' | 'events'): SyslogLine[] {
  return lines
    .map(parseSyslogLine)
    .filter((l): l is SyslogLine => l !== null && l.appName === 'iomt-inventory' && (which === 'audit' ? l.msgId === 'audit' : l.msgId !== 'audit'));
}
