import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import { useI18n } from '../i18n/i18n.js';

export interface ChartSeries {
  label: string;
  /** One value per x; null: no value there. */
  values: readonly (number | null)[];
}

export interface LineChartProps {
  title: string;
  /** Epoch seconds of each point. */
  x: readonly number[];
  /** How each x reads in the table (a day, a time). */
  xLabels: readonly string[];
  series: readonly ChartSeries[];
  height?: number;
}

/** Colours of the series, after the theme's accent: read from the kit's custom properties. */
const SERIES_VARS = ['--parley-accent', '--parley-online', '--parley-danger'];

/**
 * A uPlot line chart, drawn in the theme's colours, with the same figures as a table for
 * screen readers and keyboards (the canvas itself is an image with a label).
 */
export function LineChart({ title, x, xLabels, series, height = 220 }: LineChartProps) {
  const { t, number } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const titleId = useId();

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const style = getComputedStyle(el);
    const colour = (name: string) => style.getPropertyValue(name).trim() || '#0b57d0';
    const text = colour('--parley-text');
    const grid = colour('--parley-border');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height,
        legend: { show: series.length > 1 },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [axis, { ...axis, size: 50 }],
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: colour(SERIES_VARS[i % SERIES_VARS.length]!),
            width: 2,
            points: { show: x.length < 40 },
          })),
        ],
      },
      [x as number[], ...series.map((s) => s.values as (number | null)[])] as uPlot.AlignedData,
      el,
    );
    // The canvas is drawn for a screen reader as one image; the table below has the figures.
    plot.root.setAttribute('role', 'img');
    plot.root.setAttribute('aria-labelledby', titleId);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(240, el.clientWidth), height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, height, titleId]);

  return (
    <figure className="admin-chart">
      <figcaption id={titleId}>{title}</figcaption>
      <div ref={box} className="admin-chart-canvas" />
      <details>
        <summary>{t('chart.asTable', { title })}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('chart.when')}</th>
              {series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {xLabels.map((label, i) => (
              <tr key={i}>
                <th scope="row">{label}</th>
                {series.map((s) => {
                  const value = s.values[i];
                  return <td key={s.label}>{value == null ? '—' : number(value)}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
