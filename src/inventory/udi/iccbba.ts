/**
 * ICCBBA (ISBT 128) UDI strings: data structures, each starting with its data identifier
 * ('=' or '&' and one or two more characters), concatenated with nothing in between
 * (ISBT 128 ST-017 "Coding and Labeling of Medical Devices Containing MPHO").
 *
 *   =+aabbb            compound message header (aa = number of structures that follow)
 *   =/nnnnnppppppqqqqq Processor Product Identification Code, DS034: the DI (FIN(P) + FPC + PDC)
 *   =αppppyynnnnnnff   Donation Identification Number, DS001 (α is part of the data)
 *   =,dddddd           Product Divisions, DS032: the serial number
 *   =>cyyjjj  &>cyyjjjhhmm   expiration date (and time), DS004/DS005
 *   =}cyyjjj  &}cyyjjjhhmm   production date (and time), DS008/DS009
 *   &,1x{1,18}         MPHO lot number, DS035
 *   =)bqqwwwwwww &)x{10}     blood container catalogue number (DI) and container lot, DS017/DS018
 */
import { ordinalDate } from './dates';
import { fail, Outcome, ParseContext, succeed, UdiFields } from './types';

const PPIC_LENGTH = 16;
const ALNUM = /^[0-9A-Z]+$/;
const DIN_FIRST = /^[A-NP-Z1-9]$/;

/** cyyjjj (optionally followed by hhmm): the year is 2000 + cyy, jjj the day of the year. */
function isbtDate(what: string, data: string, withTime: boolean): Outcome<string> {
  const length = withTime ? 10 : 6;
  if (data.length !== length || !/^\d+$/.test(data)) {
    return fail(`${what} must be ${length} digits ${withTime ? 'cyyjjjhhmm' : 'cyyjjj'}, got '${data}'`);
  }
  if (withTime && (Number(data.slice(6, 8)) > 23 || Number(data.slice(8, 10)) > 59)) {
    return fail(`${what} '${data}' has an invalid time ${data.slice(6, 8)}:${data.slice(8, 10)}`);
  }
  return ordinalDate(`${what} '${data}'`, 2000 + Number(data.slice(0, 3)), Number(data.slice(3, 6)));
}

function fixed(what: string, data: string, length: number): Outcome<string> {
  if (data.length !== length || !ALNUM.test(data)) {
    return fail(`${what} must be ${length} letters or digits, got '${data}' (${data.length})`);
  }
  return succeed(data);
}

interface Segment {
  id: string;
  data: string;
}

/** Splits at every '=' or '&'; data content never contains either. */
function segments(s: string): Segment[] {
  return s.split(/(?=[=&])/).map((part) => {
    if (part.length >= 2 && part[0] === '=' && DIN_FIRST.test(part[1] ?? '')) return { id: '=', data: part.slice(1) };
    const idLength = part.startsWith('&,') ? 3 : 2;
    return { id: part.slice(0, idLength), data: part.slice(idLength) };
  });
}

export function parseIccbba(s: string, ctx: ParseContext): Outcome<UdiFields> {
  const parts = segments(s);
  const fields: Partial<UdiFields> = {};
  const other: Record<string, string> = {};
  const seen = new Set<string>();
  let announced: number | undefined;
  let containerCode: string | undefined;

  for (const [index, { id, data }] of parts.entries()) {
    if (seen.has(id)) return fail(`ICCBBA data structure '${id}' appears twice`);
    seen.add(id);
    let value: Outcome<string>;
    switch (id) {
      case '=+': {
        if (index !== 0) return fail("ICCBBA compound message header '=+' must come first");
        if (!/^\d{5}$/.test(data)) return fail(`ICCBBA compound message header must be 5 digits aabbb, got '${data}'`);
        announced = Number(data.slice(0, 2));
        continue;
      }
      case '=/': {
        if (data.length === 0 || !ALNUM.test(data)) {
          return fail(`ICCBBA Processor Product Identification Code (=/) must be letters or digits, got '${data}'`);
        }
        if (data.length !== PPIC_LENGTH) {
          ctx.issue(
            `ICCBBA Processor Product Identification Code (=/) must be ${PPIC_LENGTH} characters (FIN(P) 5 + product code 6 + PDC 5), got ${data.length}`,
          );
        }
        fields.deviceIdentifier = data;
        continue;
      }
      case '=':
        value = fixed('ICCBBA Donation Identification Number', data, 15);
        if (value.ok) fields.distinctIdentifier = value.value;
        break;
      case '=,':
        value = fixed('ICCBBA Product Divisions (=,) serial number', data, 6);
        if (value.ok) fields.serialNumber = value.value;
        break;
      case '=>':
      case '&>':
        value = isbtDate(`ICCBBA expiration date (${id})`, data, id === '&>');
        if (value.ok) fields.expirationDate = value.value;
        break;
      case '=}':
      case '&}':
        value = isbtDate(`ICCBBA production date (${id})`, data, id === '&}');
        if (value.ok) fields.manufactureDate = value.value;
        break;
      case '&,1':
        value =
          data.length >= 1 && data.length <= 18 && ALNUM.test(data)
            ? succeed(data)
            : fail(`ICCBBA MPHO lot number (&,1) must be 1-18 letters or digits, got '${data}'`);
        if (value.ok) fields.lotNumber = value.value;
        break;
      case '=)':
        value = fixed('ICCBBA container catalogue number (=))', data, 10);
        if (value.ok) containerCode = value.value;
        break;
      case '&)':
        value = fixed('ICCBBA container lot number (&))', data, 10);
        if (value.ok) fields.lotNumber = value.value;
        break;
      default:
        if (!/^[=&]./.test(id)) return fail(`ICCBBA data is not made of data structures starting with '=' or '&': '${id}${data}'`);
        other[id] = data;
        ctx.note(`ICCBBA data structure '${id}' is not interpreted; kept in other`);
        continue;
    }
    if (!value.ok) return value;
  }

  if (announced !== undefined && announced !== parts.length - 1) {
    return fail(`ICCBBA compound message announces ${announced} data structures but ${parts.length - 1} follow`);
  }
  const deviceIdentifier = fields.deviceIdentifier ?? containerCode;
  if (deviceIdentifier === undefined) {
    return fail('ICCBBA string has no Processor Product Identification Code (=/), so it carries no device identifier');
  }
  const result: UdiFields = { ...fields, deviceIdentifier };
  if (Object.keys(other).length > 0) result.other = other;
  return succeed(result);
}
