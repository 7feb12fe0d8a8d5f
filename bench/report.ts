import type { Machine } from './machine';
import type { PhaseResult } from './phases';
import type { TreeReport } from './process-monitor';
import { helpersOf, rootOf } from './process-monitor';

/** Peak RSS of the sync process that the product promises not to exceed, in MB (10^6 bytes). */
export const RSS_LIMIT_MB = 300;

/** Everything a benchmark measured, for the report. */
export interface BenchReport {
  date: Date;
  command: string;
  guides: number;
  seed: number;
  machine: Machine;
  postgresVersion: string;
  databaseDescription: string;
  phases: PhaseResult[];
  simulatorMemory: TreeReport;
}

function table(headers: string[], rows: (string | number)[][]): string {
  const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** Formats kB (KiB, as /proc reports them) as MB of 10^6 bytes, the unit of the RSS promise. */
function megabytes(kb: number): string {
  return `${((kb * 1024) / 1e6).toFixed(0)} MB`;
}

function bytesAsMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function describeMutation(result: PhaseResult): string {
  const mutation = result.mutation;
  if (!mutation) return 'none';
  return [mutation.created, mutation.updated, mutation.deleted].map(count).join(' / ');
}

function describeHelpers(report: TreeReport): string {
  const helpers = helpersOf(report);
  if (helpers.length === 0) return 'none seen';
  return helpers.map((helper) => `${helper.command}: ${megabytes(helper.peakRssKb)}`).join('; ');
}

function syncTable(phases: PhaseResult[]): string {
  const headers = ['sync', 'simulator created / updated / deleted', 'wall time'];
  headers.push('sync_status time', 'fetched');
  headers.push('records/s', 'inserted', 'updated', 'unchanged', 'deleted', 'rows written');
  const rows = phases.map((result) => [
    result.phase.name,
    describeMutation(result),
    seconds(result.wallMs),
    seconds(result.run.durationMs),
    count(result.run.fetched),
    count(Math.round(result.run.fetched / (result.wallMs / 1000))),
    count(result.run.inserted),
    count(result.run.updated),
    count(result.run.unchanged),
    count(result.run.deleted),
    count(result.rows.written),
  ]);
  return table(headers, rows);
}

function cpuCell(value: number | undefined): string {
  return value === undefined ? 'n/a' : value.toFixed(1);
}

function memoryTable(phases: PhaseResult[]): string {
  const headers = ['sync', 'sync process peak RSS', 'its child processes (peak RSS)'];
  headers.push('tree peak RSS', 'CPU s: sync / simulator / PostgreSQL', 'database size');
  const rows = phases.map((result) => [
    result.phase.name,
    megabytes(rootOf(result.syncMemory)?.peakRssKb ?? 0),
    describeHelpers(result.syncMemory),
    megabytes(result.syncMemory.treePeakRssKb),
    [result.cpu.sync, result.cpu.simulator, result.cpu.postgres].map(cpuCell).join(' / '),
    `${bytesAsMegabytes(result.sizes.database)} (pendo_guides ${bytesAsMegabytes(result.sizes.guidesTable)})`,
  ]);
  return table(headers, rows);
}

function heapTable(phases: PhaseResult[]): string | undefined {
  if (phases.every((result) => result.heap === undefined)) return undefined;
  const headers = ['sync', 'samples', 'RSS', 'heap total', 'heap used', 'external'];
  headers.push('array buffers', 'max heap used', 'max external');
  const rows = phases.map((result) => {
    const heap = result.heap;
    if (!heap) return [result.phase.name, 'n/a', '', '', '', '', '', '', ''];
    const peak = heap.atPeakRss;
    return [
      result.phase.name,
      heap.samples,
      ...[peak.rss, peak.heapTotal, peak.heapUsed, peak.external, peak.arrayBuffers].map(
        bytesAsMegabytes,
      ),
      bytesAsMegabytes(heap.max.heapUsed),
      bytesAsMegabytes(heap.max.external),
    ];
  });
  return [
    'process.memoryUsage() of each sync process at its highest sampled RSS, then the largest',
    'heap used and external memory of any sample (with `--sample-memory`):',
    '',
    table(headers, rows),
  ].join('\n');
}

function machineTable(report: BenchReport): string {
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

function verdict(report: BenchReport): string {
  const peaks = report.phases.map((result) => rootOf(result.syncMemory)?.peakRssKb ?? 0);
  const peakMb = (Math.max(...peaks) * 1024) / 1e6;
  const outcome = peakMb <= RSS_LIMIT_MB ? 'within' : 'OVER';
  return `Highest peak RSS of a sync process: ${peakMb.toFixed(0)} MB, ${outcome} the ${RSS_LIMIT_MB} MB limit.`;
}

/** Formats the results as Markdown: the machine, one table of syncs and one of memory and CPU. */
export function formatReport(report: BenchReport): string {
  const simulator = report.simulatorMemory;
  const heap = heapTable(report.phases);
  return [
    `## pendo-sync benchmark, ${report.date.toISOString().slice(0, 10)}`,
    '',
    `Command: \`${report.command}\` (${count(report.guides)} guides, seed ${report.seed})`,
    '',
    machineTable(report),
    '',
    syncTable(report.phases),
    '',
    memoryTable(report.phases),
    '',
    ...(heap ? [heap, ''] : []),
    `Simulator process peak RSS over the whole benchmark: ${megabytes(rootOf(simulator)?.peakRssKb ?? 0)}` +
      ` (its child processes: ${describeHelpers(simulator)}).`,
    '',
    verdict(report),
    '',
    'Sync process peak RSS is VmHWM of the `node bin/pendo-sync.js sync` process. Its child',
    'processes (the esbuild service that tsx starts) are listed apart and not counted in it;',
    'tree peak RSS is the largest sum of VmRSS over the sync process and its children in one',
    '100 ms poll. Records/s is records fetched divided by wall time, start-up included.',
  ].join('\n');
}
