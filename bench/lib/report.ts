// Printing figures as aligned tables and keeping them as JSON under bench/results/.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./targets";

export type Row = Record<string, string | number>;

export function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return console.log("  (no rows)");
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: string | number | undefined) => (v === undefined ? "" : typeof v === "number" ? fmt(v) : v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => "  " + values.map((v, i) => v.padStart(widths[i]!)).join("  ");
  console.log(line(columns));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const r of rows) console.log(line(columns.map((c) => cell(r[c]))));
}

/** Numbers to a readable precision: integers as is, small values with 3 significant digits. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toString();
  if (abs >= 100) return v.toFixed(1);
  if (abs >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

/** Key/value pairs as a two-column table. */
export function printFigures(title: string, figures: Record<string, string | number>): void {
  printTable(
    title,
    Object.entries(figures).map(([figure, value]) => ({ figure, value: typeof value === "number" ? fmt(value) : value })),
  );
}

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

export function writeResult(dir: string | undefined, scenario: string, data: unknown): string {
  const folder = path.resolve(ROOT, dir ?? "bench/results");
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${scenario}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify({ scenario, at: new Date().toISOString(), machine: machine(), ...(data as object) }, null, 2));
  return file;
}

export const mib = (bytes: number) => bytes / 2 ** 20;
export const kib = (bytes: number) => bytes / 1024;
export const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
