// Hand-drawn SVG charts for the insights page: segment sizes over time and
// the movement matrix as a flow (start segments on the left, destinations on
// the right, bands as wide as the customers who moved).
import type { MovementMatrix } from "../../insights/core";

const COLORS = [
  "#2c6ecb",
  "#e4a11b",
  "#008060",
  "#d82c0d",
  "#8051c5",
  "#00a0ac",
  "#b98900",
  "#637381",
  "#c05717",
  "#4b5563",
  "#7a9a01",
  "#9c6ade",
];

const colorOf = (i: number) => COLORS[i % COLORS.length];

export function TrendChart({
  days,
  series,
  label,
}: {
  days: string[];
  series: Array<{ segment: string; sizes: Array<number | null> }>;
  label: (key: string) => string;
}) {
  const width = 760;
  const height = 260;
  const pad = { left: 48, right: 12, top: 12, bottom: 28 };
  const max = Math.max(1, ...series.flatMap((s) => s.sizes.map((v) => v ?? 0)));
  const x = (i: number) => pad.left + (days.length <= 1 ? 0 : (i / (days.length - 1)) * (width - pad.left - pad.right));
  const y = (v: number) => pad.top + (1 - v / max) * (height - pad.top - pad.bottom);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * max));
  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label="Segment sizes over time">
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={pad.left} x2={width - pad.right} y1={y(tick)} y2={y(tick)} stroke="#e1e3e5" />
            <text x={pad.left - 6} y={y(tick) + 4} fontSize="11" textAnchor="end" fill="#6d7175">
              {tick}
            </text>
          </g>
        ))}
        {days.map((day, i) =>
          i === 0 || i === days.length - 1 || i % 7 === 0 ? (
            <text key={day} x={x(i)} y={height - 8} fontSize="11" textAnchor="middle" fill="#6d7175">
              {day.slice(5)}
            </text>
          ) : null,
        )}
        {series.map((s, k) => {
          const points = s.sizes.flatMap((v, i) => (v === null ? [] : [[x(i), y(v)] as const]));
          // One day of snapshots (a shop's first) is a point, not a line: a polyline of one point draws nothing.
          if (points.length === 1)
            return <circle key={s.segment} cx={points[0][0]} cy={points[0][1]} r="3.5" fill={colorOf(k)} />;
          return points.length ? (
            <polyline
              key={s.segment}
              points={points.map((p) => p.join(",")).join(" ")}
              fill="none"
              stroke={colorOf(k)}
              strokeWidth="2"
            />
          ) : null;
        })}
      </svg>
      <figcaption style={{ display: "flex", flexWrap: "wrap", gap: "12px", fontSize: "12px" }}>
        {series.map((s, k) => (
          <span key={s.segment}>
            <span style={{ display: "inline-block", width: 10, height: 10, background: colorOf(k), marginRight: 4 }} />
            {label(s.segment)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function MovementFlow({ matrix, label }: { matrix: MovementMatrix; label: (key: string) => string }) {
  const width = 760;
  const total = matrix.startSizes.reduce((a, b) => a + b, 0);
  const gap = 6;
  const rows = matrix.rows.map((_, r) => r).filter((r) => matrix.startSizes[r] > 0);
  const columnTotals = matrix.columns.map((_, c) => matrix.counts.reduce((n, row) => n + row[c], 0));
  const cols = matrix.columns.map((_, c) => c).filter((c) => columnTotals[c] > 0);
  const height = Math.max(160, 22 * Math.max(rows.length, cols.length) + 40);
  const scale = total > 0 ? (height - 20 - gap * Math.max(rows.length, cols.length)) / total : 0;
  const nodeX = { left: 170, right: width - 200 };
  const leftY = new Map<number, number>();
  let yy = 10;
  for (const r of rows) {
    leftY.set(r, yy);
    yy += matrix.startSizes[r] * scale + gap;
  }
  const rightY = new Map<number, number>();
  yy = 10;
  for (const c of cols) {
    rightY.set(c, yy);
    yy += columnTotals[c] * scale + gap;
  }
  const outOffset = new Map(rows.map((r) => [r, 0]));
  const inOffset = new Map(cols.map((c) => [c, 0]));
  const bands: Array<{ key: string; d: string; color: string; w: number }> = [];
  for (const r of rows) {
    for (const c of cols) {
      const n = matrix.counts[r][c];
      if (n === 0) continue;
      const w = n * scale;
      const y0 = leftY.get(r)! + outOffset.get(r)! + w / 2;
      const y1 = rightY.get(c)! + inOffset.get(c)! + w / 2;
      outOffset.set(r, outOffset.get(r)! + w);
      inOffset.set(c, inOffset.get(c)! + w);
      const mid = (nodeX.left + nodeX.right) / 2;
      bands.push({
        key: `${r}-${c}`,
        d: `M${nodeX.left},${y0} C${mid},${y0} ${mid},${y1} ${nodeX.right},${y1}`,
        color: colorOf(r),
        w: Math.max(1, w),
      });
    }
  }
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label="Movement between segments">
      {bands.map((b) => (
        <path key={b.key} d={b.d} stroke={b.color} strokeOpacity="0.35" strokeWidth={b.w} fill="none" />
      ))}
      {rows.map((r) => (
        <g key={`l${r}`}>
          <rect
            x={nodeX.left - 8}
            y={leftY.get(r)}
            width="8"
            height={Math.max(1, matrix.startSizes[r] * scale)}
            fill={colorOf(r)}
          />
          <text
            x={nodeX.left - 12}
            y={leftY.get(r)! + (matrix.startSizes[r] * scale) / 2 + 4}
            fontSize="11"
            textAnchor="end"
          >
            {label(matrix.rows[r])} ({matrix.startSizes[r]})
          </text>
        </g>
      ))}
      {cols.map((c) => (
        <g key={`r${c}`}>
          <rect
            x={nodeX.right}
            y={rightY.get(c)}
            width="8"
            height={Math.max(1, columnTotals[c] * scale)}
            fill="#8c9196"
          />
          <text x={nodeX.right + 12} y={rightY.get(c)! + (columnTotals[c] * scale) / 2 + 4} fontSize="11">
            {label(matrix.columns[c])} ({columnTotals[c]})
          </text>
        </g>
      ))}
    </svg>
  );
}
