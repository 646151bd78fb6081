/** Prints benchmark results as a Markdown table (pasteable into the README). */

/** Logs a titled Markdown table. */
export function printTable(title: string, header: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  console.log([`\n### ${title}\n`, line(header), line(header.map(() => '---')), ...rows.map(line), ''].join('\n'));
}

/** "97.5% (195/200)". */
export function rate(count: number, total: number): string {
  return `${total === 0 ? '–' : ((100 * count) / total).toFixed(1)}% (${count}/${total})`;
}
