/** Percentile by nearest rank over a copy of the samples (ms in, ms out). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarise(samples: readonly number[]): LatencySummary {
  const sum = samples.reduce((total, value) => total + value, 0);
  return {
    count: samples.length,
    meanMs: round(sum / Math.max(1, samples.length), 2),
    p50Ms: round(percentile(samples, 50), 2),
    p95Ms: round(percentile(samples, 95), 2),
    p99Ms: round(percentile(samples, 99), 2),
    maxMs: round(samples.length ? samples.reduce((max, value) => (value > max ? value : max), -Infinity) : Number.NaN, 2),
  };
}

export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A plain-text table with right-aligned numbers. */
export function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [line(cells[0] ?? []), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

/** Busy share of all CPUs between two readings of /proc/stat (Linux); undefined elsewhere. */
export interface CpuReading {
  busy: number;
  total: number;
}

export async function readMachineCpu(): Promise<CpuReading | undefined> {
  try {
    const { readFile } = await import('node:fs/promises');
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    const total = values.reduce((sum, value) => sum + value, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export function machineBusyPercent(before: CpuReading | undefined, after: CpuReading | undefined): number | null {
  if (!before || !after || after.total === before.total) return null;
  return round((100 * (after.busy - before.busy)) / (after.total - before.total), 0);
}
