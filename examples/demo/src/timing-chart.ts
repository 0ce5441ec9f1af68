// A small horizontal bar chart of the demo's steps as SVG: time per step, coloured by whether the
// step copied data. Plain SVG text, so it needs no library and shows in any browser or README.

/** One measured step of the demo. */
export interface TimedStep {
  readonly step: string;
  readonly ms: number;
  /** True when the step made a copy of the data (false: zero-copy, a view of memory that exists). */
  readonly copies: boolean;
  readonly note: string;
}

const escape = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The chart as an SVG document: a log-scaled bar per step, so that 0.01 ms and 50 ms both show. */
export function timingChart(steps: readonly TimedStep[], title: string): string {
  const labelWidth = 330;
  const barWidth = 420;
  const rowHeight = 24;
  const top = 56;
  const height = top + steps.length * rowHeight + 48;
  const width = labelWidth + barWidth + 150;
  const floor = 0.001; // ms: the left edge of the log scale
  const ceiling = Math.max(1, ...steps.map((step) => step.ms)) * 1.5;
  const scale = (ms: number): number => (barWidth * Math.log10(Math.max(ms, floor) / floor)) / Math.log10(ceiling / floor);
  const colour = (copies: boolean): string => (copies ? '#d9822b' : '#2b8a3e');
  const rows = steps.map((step, index) => {
    const y = top + index * rowHeight;
    const bar = Math.max(1, scale(step.ms));
    return [
      `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${escape(step.step)}</text>`,
      `<rect x="${labelWidth}" y="${y + 4}" width="${bar.toFixed(1)}" height="${rowHeight - 8}" fill="${colour(step.copies)}"><title>${escape(step.note)}</title></rect>`,
      `<text x="${(labelWidth + bar + 6).toFixed(1)}" y="${y + 16}">${step.ms < 1 ? step.ms.toFixed(3) : step.ms.toFixed(1)} ms</text>`,
    ].join('');
  });
  const ticks = [0.001, 0.01, 0.1, 1, 10, 100, 1000]
    .filter((ms) => ms <= ceiling)
    .map((ms) => {
      const x = labelWidth + scale(ms);
      const y = top + steps.length * rowHeight;
      return `<line x1="${x.toFixed(1)}" y1="${top - 4}" x2="${x.toFixed(1)}" y2="${y}" stroke="#ddd"/><text x="${x.toFixed(1)}" y="${y + 16}" text-anchor="middle" fill="#666">${ms} ms</text>`;
    });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">
<rect width="100%" height="100%" fill="#fff"/>
<text x="16" y="24" font-size="16" font-weight="bold">${escape(title)}</text>
<rect x="16" y="34" width="12" height="12" fill="${colour(false)}"/><text x="34" y="45">no copy of the data in memory (views, direct reads and writes)</text>
<rect x="380" y="34" width="12" height="12" fill="${colour(true)}"/><text x="398" y="45">copies or converts data</text>
${ticks.join('\n')}
${rows.join('\n')}
</svg>
`;
}
