import { encode } from 'uqr';

/** The otpauth URI as a QR code, drawn locally as SVG elements (no image, no inline style: strict CSP). */
export function Qr(props: { text: string; label: string }) {
  const { data } = encode(props.text, { ecc: 'M', border: 2 });
  const size = data.length;
  let d = '';
  data.forEach((row, y) => row.forEach((dark, x) => (d += dark ? `M${x} ${y}h1v1h-1z` : '')));
  return (
    <svg class="qr" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={props.label} shape-rendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
