import { day } from './Layout';

const W = 640;
const H = 200;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

export interface DayCount {
  day: string;
  devices: number;
}

/** A round ceiling for the y axis: 1, 2, 5 times a power of ten. */
function niceMax(n: number): number {
  if (n <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= n)!;
}

/**
 * Exposed devices per day as an SVG area drawn here (no chart library: a few dozen lines keep
 * the console's script small and CSP-clean, with no inline style). A visible caption says what
 * it shows in words, and the same figures follow as a visually hidden table a screen reader walks.
 */
export function ExposureChart(props: { days: DayCount[] }) {
  const { days } = props;
  if (days.length === 0) return <p>No history yet</p>;
  const max = niceMax(Math.max(...days.map((d) => d.devices)));
  const x = (i: number) => PAD.left + (days.length === 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (days.length - 1));
  const y = (v: number) => PAD.top + (1 - v / max) * (H - PAD.top - PAD.bottom);
  const line = days.map((d, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(d.devices).toFixed(1)}`).join(' ');
  const area = `${line} L${x(days.length - 1).toFixed(1)},${y(0)} L${x(0).toFixed(1)},${y(0)} Z`;
  const first = days[0];
  const last = days[days.length - 1];
  const peak = days.reduce((a, b) => (b.devices > a.devices ? b : a));
  const summary =
    `Exposed devices per day from ${day(first.day)} to ${day(last.day)}: ${first.devices} on the first day, ` +
    `${last.devices} today, highest ${peak.devices} on ${day(peak.day)}.`;
  return (
    <figure class="chart">
      {/* The picture repeats the caption and the table for sighted readers: assistive technology reads those. */}
      <svg viewBox={`0 0 ${W} ${H}`} aria-hidden="true" class="chart-svg" focusable="false">
        {[0, max / 2, max].map((v) => (
          <g key={v}>
            <line class="chart-grid" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text class="chart-label" x={PAD.left - 6} y={y(v) + 4} text-anchor="end">
              {v}
            </text>
          </g>
        ))}
        <path class="chart-area" d={area} />
        <path class="chart-line" d={line} />
        <text class="chart-label" x={PAD.left} y={H - 8}>
          {first.day}
        </text>
        <text class="chart-label" x={W - PAD.right} y={H - 8} text-anchor="end">
          {last.day}
        </text>
      </svg>
      <figcaption class="muted">{summary}</figcaption>
      {/* A table ignores a 1px height: the hiding box is a div around it. */}
      <div class="visually-hidden">
        <table>
          <caption>Exposed devices per day (UTC)</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Exposed devices</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                <td>{d.devices}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
