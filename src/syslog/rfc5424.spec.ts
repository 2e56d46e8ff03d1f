import { escapeParamValue, fitDatagram, formatRfc5424, headerField, octetCountingFrame, SyslogMessage, utf8Prefix } from './rfc5424';

const base: SyslogMessage = {
  facility: 16,
  severity: 3,
  timestamp: '2026-12-07T10:15:30.123456Z',
  hostname: 'iomt-1.hospital.example',
  appName: 'iomt-inventory',
  procId: '4242',
  msgId: 'firmware_downgrade',
  sdId: 'iomt@32473',
  params: [
    { name: 'id', value: '17' },
    { name: 'severity', value: 'high' },
  ],
  msg: 'Security event',
};

describe('formatRfc5424', () => {
  it('writes PRI = facility * 8 + severity, version 1, the header fields, one SD-ELEMENT and the MSG, separated by single spaces', () => {
    expect(formatRfc5424(base).toString('latin1')).toBe(
      '<131>1 2026-12-07T10:15:30.123456Z iomt-1.hospital.example iomt-inventory 4242 firmware_downgrade [iomt@32473 id="17" severity="high"] Security event',
    );
  });

  it('gives PRI 0 for kern.emerg and 191 for local7.debug', () => {
    expect(
      formatRfc5424({ ...base, facility: 0, severity: 0 })
        .toString()
        .startsWith('<0>1 '),
    ).toBe(true);
    expect(
      formatRfc5424({ ...base, facility: 23, severity: 7 })
        .toString()
        .startsWith('<191>1 '),
    ).toBe(true);
  });

  it('ends after the SD-ELEMENT, without a trailing space, when there is no MSG', () => {
    expect(formatRfc5424({ ...base, msg: '' }).toString()).toBe(
      '<131>1 2026-12-07T10:15:30.123456Z iomt-1.hospital.example iomt-inventory 4242 firmware_downgrade [iomt@32473 id="17" severity="high"]',
    );
  });

  it('escapes ", \\ and ] in parameter values and writes other characters as UTF-8, without a BOM', () => {
    const bytes = formatRfc5424({ ...base, params: [{ name: 'actorName', value: 'Zoë "x" \\ [a]' }], msg: '' });
    expect(bytes.toString('utf8')).toBe(
      '<131>1 2026-12-07T10:15:30.123456Z iomt-1.hospital.example iomt-inventory 4242 firmware_downgrade [iomt@32473 actorName="Zoë \\"x\\" \\\\ [a\\]"]',
    );
    expect([...bytes.subarray(bytes.indexOf('Zo') + 2, bytes.indexOf('Zo') + 4)]).toEqual([0xc3, 0xab]);
    expect(bytes.includes(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
  });

  it('writes a lone surrogate as U+FFFD, never as invalid UTF-8', () => {
    const bytes = formatRfc5424({ ...base, params: [{ name: 'v', value: 'a\ud800b' }], msg: '' });
    expect(bytes.includes(Buffer.from('a\ufffdb', 'utf8'))).toBe(true);
  });

  it('replaces spaces and non-ASCII in header fields, cuts them to their maximum and writes "-" for an empty one', () => {
    const bytes = formatRfc5424({ ...base, hostname: '', appName: 'a b', procId: 'é', msgId: 'm'.repeat(40) });
    expect(bytes.toString()).toBe(`<131>1 2026-12-07T10:15:30.123456Z - a_b _ ${'m'.repeat(32)} [iomt@32473 id="17" severity="high"] Security event`);
  });
});

describe('escapeParamValue', () => {
  it('escapes exactly the three characters RFC 5424 section 6.3.3 names', () => {
    expect(escapeParamValue('"\\]')).toBe('\\"\\\\\\]');
    expect(escapeParamValue("[={}\n'")).toBe("[={}\n'");
  });
});

describe('headerField', () => {
  it('keeps printable US-ASCII (33-126) and nothing else', () => {
    expect(headerField('!~', 10)).toBe('!~');
    expect(headerField('a\tb\x7f', 10)).toBe('a_b_');
  });
});

describe('octetCountingFrame (RFC 6587 section 3.4.1)', () => {
  it('prefixes the length in octets, not characters, and a space', () => {
    expect(octetCountingFrame(Buffer.from('<13>1 - - - - - - é', 'utf8')).toString('utf8')).toBe('20 <13>1 - - - - - - é');
  });
});

describe('utf8Prefix', () => {
  it('never splits a character', () => {
    const bytes = Buffer.from('aé€😀', 'utf8'); // 1 + 2 + 3 + 4 bytes
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => utf8Prefix(bytes, n).toString('utf8'))).toEqual([
      '',
      'a',
      'a',
      'aé',
      'aé',
      'aé',
      'aé€',
      'aé€',
      'aé€',
      'aé€',
      'aé€😀',
    ]);
  });
});

describe('fitDatagram', () => {
  const long: SyslogMessage = {
    ...base,
    params: [
      { name: 'id', value: '17' },
      { name: 'details', value: 'x'.repeat(600), optional: true },
    ],
    msg: 'M'.repeat(100),
  };

  it('sends a message that fits unchanged', () => {
    expect(fitDatagram(base, 480)).toEqual(formatRfc5424(base));
  });

  it('drops the optional parameters first and says truncated="true"', () => {
    const out = fitDatagram(long, 480).toString();
    expect(out).toBe(
      `<131>1 2026-12-07T10:15:30.123456Z iomt-1.hospital.example iomt-inventory 4242 firmware_downgrade [iomt@32473 id="17" truncated="true"] ${'M'.repeat(100)}`,
    );
  });

  it('then cuts the MSG to what is left, to the byte', () => {
    const headerAndSd =
      '<131>1 2026-12-07T10:15:30.123456Z iomt-1.hospital.example iomt-inventory 4242 firmware_downgrade [iomt@32473 id="17" truncated="true"]';
    const out = fitDatagram(long, headerAndSd.length + 11);
    expect(out.toString()).toBe(`${headerAndSd} ${'M'.repeat(10)}`);
    expect(out.length).toBe(headerAndSd.length + 11);
  });

  it('as a last resort cuts the message at the limit on a character boundary', () => {
    const huge: SyslogMessage = { ...base, params: [{ name: 'entityId', value: 'é'.repeat(400) }], msg: 'm' };
    const out = fitDatagram(huge, 480);
    expect(out.length).toBeLessThanOrEqual(480);
    expect(out.length).toBeGreaterThanOrEqual(479);
    expect(out.toString('utf8')).not.toContain('\ufffd');
    expect(formatRfc5424({ ...huge, params: [...huge.params, { name: 'truncated', value: 'true' }], msg: '' }).subarray(0, out.length)).toEqual(out);
  });
});
