/**
 * A per-minute chart drawn in SVG: lines, or stacked bars. Its label says what it shows in words;
 * the numbers behind it are also in a visually hidden table for screen readers.
 */
import { useEffect, useRef, useState } from 'react';
import { niceCeiling, sum, ticks } from '../chart-scale';
import { formatClock } from '../format';

export interface Series {
  label: string;
  values: number[];
}

const HEIGHT = 220;

/** The element's width in CSS pixels, so the chart draws at its real size and its text stays legible. */
function useWidth(fallback: number) {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(240, Math.round(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}
const PAD = { top: 12, right: 12, bottom: 26, left: 40 };

export function Chart({
  title,
  times,
  series,
  kind,
}: {
  title: string;
  times: string[];
  series: Series[];
  kind: 'lines' | 'stacked';
}) {
  const { ref, width } = useWidth(720);
  const count = times.length;
  const innerWidth = width - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const peak =
    kind === 'stacked'
      ? Math.max(0, ...times.map((_, index) => sum(series.map((line) => line.values[index] ?? 0))))
      : Math.max(0, ...series.flatMap((line) => line.values));
  const top = niceCeiling(peak);
  const x = (index: number) => PAD.left + (count <= 1 ? innerWidth / 2 : (index / (count - 1)) * innerWidth);
  const y = (value: number) => PAD.top + innerHeight - (value / top) * innerHeight;
  const slot = innerWidth / Math.max(count, 1);
  const labelEvery = Math.max(1, Math.ceil(count / Math.max(2, Math.floor(innerWidth / 90))));
  const summary = series.map((line) => `${line.label}: ${sum(line.values)}`).join(', ');

  return (
    <figure className="chart-figure" ref={ref}>
      <svg
        className="chart"
        viewBox={`0 0 ${width} ${HEIGHT}`}
        width={width}
        height={HEIGHT}
        role="img"
        aria-label={`${title}, last ${count} minutes. ${summary || 'No data'}.`}
      >
        {ticks(top).map((tick) => (
          <g key={tick}>
            <line className="chart-grid" x1={PAD.left} x2={width - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text className="chart-axis" x={PAD.left - 8} y={y(tick) + 4} textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        {times.map((time, index) =>
          index % labelEvery === 0 ? (
            <text key={time} className="chart-axis" x={x(index)} y={HEIGHT - 6} textAnchor="middle">
              {formatClock(time)}
            </text>
          ) : null,
        )}
        {kind === 'lines'
          ? series.map((line, order) => {
              const points = line.values.map((value, index) => `${x(index)},${y(value)}`).join(' ');
              return (
                <g key={line.label} className={`series-${order % 8}`}>
                  <polygon
                    className="chart-area"
                    points={`${x(0)},${y(0)} ${points} ${x(count - 1)},${y(0)}`}
                  />
                  <polyline className="chart-line" points={points} />
                </g>
              );
            })
          : times.map((time, index) => {
              let base = 0;
              return (
                <g key={time}>
                  {series.map((line, order) => {
                    const value = line.values[index] ?? 0;
                    if (value === 0) return null;
                    const rect = (
                      <rect
                        key={line.label}
                        className={`series-${order % 8}`}
                        x={PAD.left + index * slot + slot * 0.15}
                        width={Math.max(1, slot * 0.7)}
                        y={y(base + value)}
                        height={y(base) - y(base + value)}
                        rx={1.5}
                      />
                    );
                    base += value;
                    return rect;
                  })}
                </g>
              );
            })}
      </svg>
      {/* overflow does not clip a table box: the hiding wrapper is a div. */}
      <div className="sr-only">
        <table>
          <caption>{title}, per minute</caption>
          <thead>
            <tr>
              <th scope="col">Minute</th>
              {series.map((line) => (
                <th key={line.label} scope="col">
                  {line.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {times.map((time, index) => (
              <tr key={time}>
                <th scope="row">{formatClock(time)}</th>
                {series.map((line) => (
                  <td key={line.label}>{line.values[index] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

export function Legend({ series }: { series: Series[] }) {
  return (
    <ul className="legend">
      {series.map((line, order) => (
        <li key={line.label}>
          <span className={`swatch series-${order % 8}`} aria-hidden="true" />
          {line.label} <span className="muted">{sum(line.values)}</span>
        </li>
      ))}
    </ul>
  );
}
