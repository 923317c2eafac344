/** The results as a console table and as BENCHMARKS.md. */
import { ms, times, timesWithInterval } from './stats.mjs';
import { analysis } from './analysis.mjs';
import { details } from './details.mjs';

/** The measured value of a row, formatted. */
export function formatValue(row) {
  switch (row.kind) {
    case 'ratio':
      return timesWithInterval(row.value, row.interval);
    case 'difference':
      return `${row.value >= 0 ? '+' : ''}${ms(row.value)}`;
    case 'time':
      return ms(row.value);
    case 'bytes':
      return kb(row.value);
    default:
      return String(row.value);
  }
}

/** Bytes as KB (1 KB = 1,024 bytes), two decimals. */
export function kb(bytes) {
  return `${(bytes / 1024).toFixed(2)} KB`;
}

function verdict(row) {
  const word = row.met === null ? 'info' : row.met ? 'met' : 'MISSED';
  return row.close ? `${word} (close)` : word;
}

function cells(row) {
  const subject = row.kind === 'bytes' ? kb(row.subject) : row.kind === 'count' ? String(row.subject) : ms(row.subject);
  return [row.figure, subject, row.baselineLabel === '—' ? '—' : `${ms(row.baseline)} (${row.baselineLabel})`, formatValue(row), row.target, verdict(row)];
}

const HEADER = ['figure', 'identity-vault (median)', 'baseline (median)', 'result', 'target', ''];

/** A plain-text table for the terminal. */
export function consoleTable(rows) {
  const lines = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...lines.map((line) => line[i].length)));
  const format = (line) => line.map((cell, i) => cell.padEnd(widths[i])).join('  ');
  return [format(lines[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.slice(1).map(format)].join('\n');
}

/** A markdown table. */
export function markdownTable(header, lines) {
  const escape = (cell) => String(cell).replaceAll('|', '\\|');
  return [
    `| ${header.map(escape).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...lines.map((line) => `| ${line.map(escape).join(' | ')} |`),
  ].join('\n');
}

/** The verdicts this run's rounds cannot settle (their interval crosses the target), in one sentence. */
function closeLine(rows) {
  const close = rows.filter((row) => row.close);
  if (close.length === 0) return ' No verdict is close: every 90% interval lies on one side of its target.';
  return ` Close (the 90% interval crosses the target, so the verdict could go either way with another draw of the same rounds): ${close.map((row) => `${row.figure} (${row.met ? 'met' : 'missed'})`).join('; ')}.`;
}

/** Above this many cores used by others on average, a run is called busy. */
const OTHERS_BUSY = 0.25;

/**
 * The warning that other work shared the machine with the run, or '' when none did. Judged by the
 * CPU time other processes and other guests took (cpu-share.mjs) where Linux's counters say it; the
 * load average, which the bench's own Chromium raises to 2–4, only where they do not.
 */
function busyLine(machine) {
  const advice = 'absolute times are inflated and spreads wide; ratios hold better, but run again on a quiet machine before trusting a borderline figure.';
  const { cpu } = machine;
  if (cpu) {
    const others = cpu.otherCores + cpu.stealCores;
    if (others <= OTHERS_BUSY) return '';
    return `**Other work shared the machine during this run**: other processes used ${cpu.otherCores.toFixed(2)} of its ${machine.cores} cores on average and other guests of the hypervisor ${cpu.stealCores.toFixed(2)} (the bench itself ${cpu.ownCores.toFixed(2)}); ${advice}`;
  }
  const load = Math.max(machine.loadAverageAtStart, machine.loadAverageAtEnd);
  if (load <= machine.cores) return '';
  return `**The machine was busy during this run** (1-minute load average up to ${load.toFixed(1)} on ${machine.cores} cores): ${advice}`;
}

/** The whole BENCHMARKS.md. */
export function benchmarksMarkdown(run) {
  const { machine, rows, browser, node } = run;
  const met = rows.filter((row) => row.met === true).length;
  const busy = busyLine(machine);
  const missed = rows.filter((row) => row.met === false);
  return `# Benchmarks

Written by \`npm run bench\` (\`bench/run.mjs\`) on ${machine.date.slice(0, 10)}; do not edit by hand, run it again.
Every figure is a median over repeated runs after a warm-up, compared with a baseline measured in
the same run (same page, interleaved round by round); a result is the median over rounds of the
per-round ratio, and beside it, in brackets, its 90% bootstrap interval: how far that median could
move with another draw of as many rounds on the machine as it was (not across days or machines).
A verdict marked *close* has that interval reaching the other side of its target: this run cannot
tell it from the target. How to run and read it: \`bench/README.md\`.${busy ? `\n\n${busy}` : ''}${machine.quick ? '\n\n**This was a `--quick` run: too few rounds for the figures to mean much.**' : ''}

## Machine and versions

| | |
| --- | --- |
| date | ${machine.date} |
| CPU | ${machine.cores} cores, ${machine.cpuModel} |
| memory | ${machine.memoryGiB} GiB |
| OS | ${machine.os} |
| load average (1 min) at start / end | ${machine.loadAverageAtStart.toFixed(2)} / ${machine.loadAverageAtEnd.toFixed(2)} (the bench's own Chromium raises it) |
${machine.cpu ? `| CPU used during the run, in cores | the bench ${machine.cpu.ownCores.toFixed(2)}, other processes ${machine.cpu.otherCores.toFixed(2)}, other guests of the hypervisor (steal) ${machine.cpu.stealCores.toFixed(2)} |\n` : ''}| Chromium | ${browser.environment.product} (headless, on-disk profile on ${browser.profileFileSystem}; cross-origin isolated: ${browser.environment.crossOriginIsolated}) |
| Node | ${machine.node} (file store on ${node.fileSystem}) |
| identity-vault | ${machine.packageVersion} (bundled from \`src/\` by esbuild ${machine.esbuild}) |
| baseline | idb-keyval ${machine.idbKeyval} |
| driver | playwright-core ${machine.playwrightCore} |
| bench duration | ${machine.seconds.toFixed(0)} s |

## Results

${met} of ${rows.filter((row) => row.met !== null).length} targets met${missed.length ? `; missed: ${missed.map((row) => row.figure).join('; ')}` : ''}.${closeLine(rows)}

${markdownTable(HEADER.slice(0, 5).concat(['met?']), rows.map(cells))}

${details(run)}

${analysis(run)}
`;
}
