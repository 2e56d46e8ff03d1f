/**
 * The GS1 Application Identifiers this parser knows (GS1 General Specifications, section 3).
 * Raw element strings carry no delimiters after fixed-length data, so an AI that is not
 * listed here cannot be skipped: its data length is unknown.
 */

export interface AiSpec {
  readonly title: string;
  readonly numeric: boolean;
  /** Exact data length (fixed-length AIs). */
  readonly fixed?: number;
  /** Maximum data length (variable-length AIs; they end at a GS or at the end of the string). */
  readonly max?: number;
  /** Data is a YYMMDD date. */
  readonly date?: boolean;
}

const n = (title: string, fixed: number): AiSpec => ({ title, numeric: true, fixed });
const nv = (title: string, max: number): AiSpec => ({ title, numeric: true, max });
const an = (title: string, max: number): AiSpec => ({ title, numeric: false, max });
const anf = (title: string, fixed: number): AiSpec => ({ title, numeric: false, fixed });
const date = (title: string): AiSpec => ({ title, numeric: true, fixed: 6, date: true });

/** Number of digits of an AI, decided by its first two digits (GS1 General Specifications figure 3.2-1). */
const AI_LENGTH_BY_PREFIX: Record<string, number> = {};
const setPrefixes = (length: number, prefixes: string[]): void => {
  for (const p of prefixes) AI_LENGTH_BY_PREFIX[p] = length;
};
setPrefixes(2, ['00', '01', '02', '03', '04', '10', '11', '12', '13', '15', '16', '17', '20', '21', '22', '30', '37']);
setPrefixes(2, ['90', '91', '92', '93', '94', '95', '96', '97', '98', '99']);
setPrefixes(3, ['23', '24', '25', '40', '41', '42', '71']);
setPrefixes(4, ['31', '32', '33', '34', '35', '36', '39', '43', '70', '72', '80', '81', '82']);

export function aiLengthForPrefix(prefix: string): number | undefined {
  return AI_LENGTH_BY_PREFIX[prefix];
}

const EXACT: Record<string, AiSpec> = {
  '00': n('SSCC', 18),
  '01': n('GTIN', 14),
  '02': n('content GTIN', 14),
  '03': n('made-to-order GTIN', 14),
  '10': an('lot number', 20),
  '11': date('production date'),
  '12': date('due date'),
  '13': date('packaging date'),
  '15': date('best before date'),
  '16': date('sell by date'),
  '17': date('expiration date'),
  '20': n('variant', 2),
  '21': an('serial number', 20),
  '22': an('consumer product variant', 20),
  '235': an('third-party serial extension', 28),
  '240': an('additional product identification', 30),
  '241': an('customer part number', 30),
  '242': nv('made-to-order variation', 6),
  '243': an('packaging component number', 20),
  '250': an('secondary serial number', 30),
  '251': an('reference to source entity', 30),
  '253': an('GDTI', 30),
  '254': an('GLN extension', 20),
  '255': nv('GCN', 25),
  '30': nv('variable count', 8),
  '37': nv('count of trade items', 8),
  '400': an("customer's purchase order number", 30),
  '401': an('GINC', 30),
  '402': n('GSIN', 17),
  '403': an('routing code', 30),
  '420': an('ship-to postal code', 20),
  '421': an('ship-to postal code with country', 12),
  '422': n('country of origin', 3),
  '423': nv('country of initial processing', 15),
  '424': n('country of processing', 3),
  '425': nv('country of disassembly', 15),
  '426': n('country of full process chain', 3),
  '427': an('country subdivision of origin', 3),
  '7001': n('NATO stock number', 13),
  '7002': an('UN/ECE meat classification', 30),
  '7003': n('expiration date and time', 10),
  '7004': nv('active potency', 4),
  '7005': an('catch area', 12),
  '7006': date('first freeze date'),
  '7007': nv('harvest date', 12),
  '7008': an('species', 3),
  '7009': an('fishing gear type', 10),
  '7010': an('production method', 2),
  '7020': an('refurbishment lot', 20),
  '7021': an('functional status', 20),
  '7022': an('revision status', 20),
  '7023': an('GIAI of an assembly', 30),
  '7040': anf('UIC with extension', 4),
  '7240': an('protocol ID', 20),
  '8001': n('roll products', 14),
  '8002': an('cellular mobile telephone identifier', 20),
  '8003': an('GRAI', 30),
  '8004': an('GIAI', 30),
  '8005': n('price per unit of measure', 6),
  '8006': n('ITIP', 18),
  '8007': an('IBAN', 34),
  '8008': nv('date and time of production', 12),
  '8009': an('optically readable sensor indicator', 50),
  '8010': an('CPID', 30),
  '8011': nv('CPID serial number', 12),
  '8012': an('software version', 20),
  '8013': an('GMN', 25),
  '8017': n('GSRN provider', 18),
  '8018': n('GSRN recipient', 18),
  '8019': nv('SRIN', 10),
  '8020': an('payment slip reference', 25),
  '8026': n('ITIP content', 18),
  '8200': an('extended packaging URL', 70),
  '90': an('mutually agreed information', 30),
};

/** Looks up an AI given as its digits ('01', '240', '3103'). */
export function lookupAi(ai: string): AiSpec | undefined {
  const exact = EXACT[ai];
  if (exact) return exact;
  if (/^3[1-6]\d\d$/.test(ai)) return n('trade measure', 6);
  if (/^39[02]\d$/.test(ai)) return nv('amount payable', 15);
  if (/^39[13]\d$/.test(ai)) return nv('amount payable with currency', 18);
  if (/^394\d$/.test(ai)) return n('percentage discount', 4);
  if (/^395\d$/.test(ai)) return n('amount payable per unit', 6);
  if (/^41[0-7]$/.test(ai)) return n('GLN', 13);
  if (/^71[0-6]$/.test(ai)) return an('national healthcare reimbursement number', 20);
  if (/^723\d$/.test(ai)) return an('certification reference', 30);
  if (/^9[1-9]$/.test(ai)) return an('company internal information', 90);
  return undefined;
}

/** GS1 AI encodable character set 82 (General Specifications figure 7.11-1). */
export const AI82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;
