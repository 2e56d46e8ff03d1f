import { normalizeName, repairMojibake } from './normalize-name';

describe('normalizeName', () => {
  it('ignores case, spacing and punctuation', () => {
    expect(normalizeName('Becton, Dickinson and Company (BD)')).toBe('bectondickinsonandcompanybd');
    expect(normalizeName('  GE   Healthcare ')).toBe(normalizeName('GE-Healthcare'));
    expect(normalizeName('SOOIL Developments Co, Ltd.')).toBe('sooildevelopmentscoltd');
  });

  it('applies NFKC so full-width and compatibility forms match plain ones', () => {
    expect(normalizeName('Ｐｈｉｌｉｐｓ')).toBe('philips');
    expect(normalizeName('ﬁrmware')).toBe('firmware');
  });

  it('keeps non-Latin letters and digits', () => {
    expect(normalizeName('Σίμενς 3.0T')).toBe('σίμενς30t');
  });

  it('keeps diacritics: a different letter is a different name', () => {
    expect(normalizeName('Innokas Yhtymä Oy')).toBe('innokasyhtymäoy');
    expect(normalizeName('Innokas Yhtymä Oy')).not.toBe(normalizeName('Innokas Yhtyma Oy'));
  });

  it('treats composed and decomposed accents alike', () => {
    expect(normalizeName('Yhtyma\u0308')).toBe(normalizeName('Yhtym\u00e4'));
  });

  it('matches the mojibake vendor of icsma-21-007-01 to the correctly spelt name', () => {
    expect(normalizeName('Innokas YhtymÃ¤ Oy')).toBe(normalizeName('Innokas Yhtymä Oy'));
  });

  it('drops a U+FFFD replacement character like punctuation instead of guessing the lost letter', () => {
    expect(normalizeName('Yhtym\uFFFD Oy')).toBe('yhtymoy');
  });

  it('returns an empty string for non-string input', () => {
    expect(normalizeName(undefined as unknown as string)).toBe('');
  });
});

describe('repairMojibake', () => {
  it('undoes UTF-8 read as Latin-1', () => {
    expect(repairMojibake('YhtymÃ¤')).toBe('Yhtymä');
    expect(repairMojibake('MÃ¶lnlycke')).toBe('Mölnlycke');
  });

  it('leaves correct text unchanged', () => {
    expect(repairMojibake('Yhtymä')).toBe('Yhtymä');
    expect(repairMojibake('Philips')).toBe('Philips');
    expect(repairMojibake('Société Générale')).toBe('Société Générale');
  });

  it('leaves text unchanged when re-decoding would not be valid UTF-8', () => {
    expect(repairMojibake('Ã¤Ã')).toBe('Ã¤Ã');
  });

  it('leaves text unchanged when it also contains characters outside Latin-1', () => {
    expect(repairMojibake('YhtymÃ¤ – Oy')).toBe('YhtymÃ¤ – Oy');
  });
});
