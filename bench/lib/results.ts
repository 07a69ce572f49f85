/** Collects benchmark figures, prints them as a table and merges them into bench/results/latest.json. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  target: string;
  note?: string;
}

const RESULTS = 'bench/results/latest.json';

export class Results {
  readonly figures: Figure[] = [];

  add(f: Figure): void {
    const round = (v: number) => (Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100);
    this.figures.push({ ...f, value: round(f.value), baseline: f.baseline === undefined ? undefined : round(f.baseline), ratio: f.ratio === undefined ? undefined : Math.round(f.ratio * 1000) / 1000 });
    console.log(`  ${f.name} = ${round(f.value)} ${f.unit}${f.baseline !== undefined ? ` (baseline ${round(f.baseline)})` : ''}  target ${f.target}`);
  }

  print(): void {
    const rows = this.figures.map((f) => [f.name, `${f.value} ${f.unit}`, f.baseline === undefined ? '' : String(f.baseline), f.ratio === undefined ? '' : String(f.ratio), f.target]);
    const head = ['figure', 'value', 'baseline', 'ratio', 'target'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
    console.log('\n' + line(head) + '\n' + widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
  }

  /** Keeps figures of scenarios not run this time (a subset run updates only its own names). */
  write(): void {
    mkdirSync('bench/results', { recursive: true });
    const previous: Figure[] = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : [];
    const names = new Set(this.figures.map((f) => f.name));
    const merged = [...previous.filter((f) => !names.has(f.name)), ...this.figures];
    writeFileSync(RESULTS, JSON.stringify(merged, null, 2) + '\n');
    console.log(`\nwritten to ${RESULTS}`);
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
