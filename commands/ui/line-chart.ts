/**
 * A line chart in plain text: values left to right (resampled to the width: each column shows
 * the last value of its share of the series; a short series is stretched, each value over as
 * many columns as fit), drawn on `height` rows with a value axis on the
 * left. A column's point is `•`; the steps between neighbouring points are joined with `│` so
 * the line reads as one. Zero gets a dotted rule when it lies inside the range.
 */
export interface LineChartOptions {
  /** Columns for the plot itself (the axis labels come on top of it). */
  width: number;
  height: number;
  /** How a value is written on the axis. */
  label(value: number): string;
}

/** The chart's rows, top (highest value) first. */
export function lineChart(values: readonly number[], options: LineChartOptions): string[] {
  if (values.length === 0) return [];
  const stretch = Math.max(1, Math.floor(options.width / values.length));
  const series = values.flatMap((v) => Array.from({ length: stretch }, () => v));
  const width = Math.max(2, Math.min(options.width, series.length));
  const height = Math.max(3, options.height);
  const columns: number[] = [];
  for (let c = 0; c < width; c++) {
    const end = Math.ceil(((c + 1) * series.length) / width) - 1;
    columns.push(series[Math.max(0, end)]!);
  }
  let lo = Math.min(...columns);
  let hi = Math.max(...columns);
  if (hi === lo) {
    hi += 1;
    lo -= 1;
  }
  const rowOf = (v: number) => Math.round(((hi - v) / (hi - lo)) * (height - 1));
  const grid = Array.from({ length: height }, () => Array.from({ length: width }, () => ' '));
  const zero = lo < 0 && hi > 0 ? rowOf(0) : null;
  if (zero !== null) for (let c = 0; c < width; c++) grid[zero]![c] = '·';
  let previous: number | null = null;
  columns.forEach((v, c) => {
    const row = rowOf(v);
    if (previous !== null && Math.abs(previous - row) > 1) {
      const [from, to] = previous < row ? [previous + 1, row - 1] : [row + 1, previous - 1];
      for (let r = from; r <= to; r++) grid[r]![c] = '│';
    }
    grid[row]![c] = '•';
    previous = row;
  });
  const labels = grid.map((_, r) => {
    if (r === 0) return options.label(hi);
    if (r === height - 1) return options.label(lo);
    if (r === zero) return options.label(0);
    return '';
  });
  const pad = Math.max(...labels.map((l) => l.length));
  return grid.map((cells, r) => `${labels[r]!.padStart(pad)} ┤${cells.join('')}`);
}
