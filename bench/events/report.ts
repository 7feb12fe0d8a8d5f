import type { Machine } from '../machine';
import type { TreeReport } from '../process-monitor';
import { cpuSecondsOf, helpersOf, rootOf } from '../process-monitor';
import type { CliProcessResult } from './processes';
import type { StreamOutcome } from './queries';

/** Everything the event benchmark measured, for the report. */
export interface EventBenchReport {
  date: Date;
  command: string;
  eventsPerDay: number;
  days: number;
  visitors: number;
  seed: number;
  machine: Machine;
  postgresVersion: string;
  databaseDescription: string;
  sync: CliProcessResult;
  streams: StreamOutcome[];
  databaseBytes: number;
  /** CPU seconds of the simulator and PostgreSQL during the sync; undefined when unreadable. */
  simulatorCpu: number | undefined;
  postgresCpu: number | undefined;
  simulatorMemory: TreeReport;
  /** One-minute load average of the machine before and after the sync. */
  loadAverages: [number, number];
  /** The `verify --streams all` run afterwards: its result or error; undefined when skipped. */
  verify: CliProcessResult | Error | undefined;
}

function table(headers: string[], rows: (string | number)[][]): string {
  const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** Formats kB (KiB, as /proc reports them) as MB of 10^6 bytes, as bench/report.ts does. */
function megabytes(kb: number): string {
  return `${((kb * 1024) / 1e6).toFixed(0)} MB`;
}

function bytesAsMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function cpuCell(value: number | undefined): string {
  return value === undefined ? 'n/a' : value.toFixed(1);
}

function machineTable(report: EventBenchReport): string {
  const { machine } = report;
  return table(
    ['', ''],
    [
      ['CPU', `${machine.cpuModel}, ${machine.cores} logical cores`],
      ['memory', `${machine.memoryGb} GiB`],
      ['OS', machine.os],
      ['Node.js', machine.node],
      ['PostgreSQL', `${report.postgresVersion}, ${report.databaseDescription}`],
    ],
  );
}

function streamTable(streams: StreamOutcome[]): string {
  const headers = ['stream', 'status', 'rows stored', 'rows fetched', 'windows', 'API calls'];
  headers.push('table size');
  const rows = streams.map((outcome) => [
    outcome.stream,
    outcome.status,
    count(outcome.rows),
    count(outcome.fetched),
    count(outcome.windows),
    count(outcome.apiCalls),
    bytesAsMegabytes(outcome.bytes),
  ]);
  return table(headers, rows);
}

function describeHelpers(report: TreeReport): string {
  const helpers = helpersOf(report);
  if (helpers.length === 0) return 'none seen';
  return helpers.map((helper) => `${helper.command}: ${megabytes(helper.peakRssKb)}`).join('; ');
}

function totalsTable(report: EventBenchReport): string {
  const rows = report.streams.reduce((sum, outcome) => sum + outcome.rows, 0);
  const { sync } = report;
  const cells: [string, string][] = [
    ['event rows stored', count(rows)],
    ['wall time of the sync process', seconds(sync.wallMs)],
    [
      'event rows per second (stored rows / wall time)',
      count(Math.round(rows / (sync.wallMs / 1000))),
    ],
    ['sync process peak RSS', megabytes(rootOf(sync.memory)?.peakRssKb ?? 0)],
    ['its child processes (peak RSS)', describeHelpers(sync.memory)],
    ['tree peak RSS', megabytes(sync.memory.treePeakRssKb)],
    [
      'CPU s: sync / simulator / PostgreSQL',
      [cpuSecondsOf(sync.memory), report.simulatorCpu, report.postgresCpu].map(cpuCell).join(' / '),
    ],
    ['database size after the sync', bytesAsMegabytes(report.databaseBytes)],
    ['simulator process peak RSS', megabytes(rootOf(report.simulatorMemory)?.peakRssKb ?? 0)],
    [
      'one-minute load average before / after the sync',
      report.loadAverages.map((load) => load.toFixed(1)).join(' / '),
    ],
  ];
  const verify = report.verify;
  if (verify instanceof Error) {
    cells.push(['`verify --streams all` afterwards', `failed: ${verify.message.split('\n')[0]}`]);
  } else if (verify) {
    const outcome = verify.exitCode === 0 ? 'no drift' : 'drift';
    cells.push([
      '`verify --streams all` afterwards',
      `${seconds(verify.wallMs)}, exit code ${verify.exitCode} (${outcome}), ` +
        `peak RSS ${megabytes(rootOf(verify.memory)?.peakRssKb ?? 0)}`,
    ]);
  }
  return table(['', ''], cells);
}

/** Formats the results as Markdown: the machine, one table of streams and one of totals. */
export function formatEventReport(report: EventBenchReport): string {
  return [
    `## Event backfill benchmark, ${report.date.toISOString().slice(0, 10)}`,
    '',
    `Command: \`${report.command}\` (simulator eventsPerDay ${count(report.eventsPerDay)} over ` +
      `${report.days} days, ${count(report.visitors)} visitors, seed ${report.seed})`,
    '',
    machineTable(report),
    '',
    streamTable(report.streams),
    '',
    totalsTable(report),
    '',
    'Sync process peak RSS is VmHWM of the `node bin/pendo-sync.js sync --streams all` process,',
    'polled every 100 ms as in `npm run bench`. Wall time runs from spawn to exit, start-up and',
    'migrations included.',
  ].join('\n');
}
