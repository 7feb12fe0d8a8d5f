import { formatDuration } from '../../config/durations';
import type { EventStreamStatus } from '../../db/status';
import { formatTable, formatTime } from '../table';

function describeLastRun(status: EventStreamStatus): string {
  const run = status.lastRun;
  if (!run) return 'none';
  const error = run.error ? `: ${run.error.slice(0, 80)}` : '';
  return `${run.status} (${run.mode}, started ${formatTime(run.startedAt)})${error}`;
}

/** Formats one stream's section: its windows, Pendo's time, lag and latest run. */
function formatStreamSection(status: EventStreamStatus): string {
  if (status.windowsRead === 0) {
    return `${status.stream}: no window read yet (last run: ${describeLastRun(status)})`;
  }
  const lines: [string, string][] = [
    [
      'windows read',
      `${status.windowsRead.toLocaleString('en-US')} (${status.rows.toLocaleString('en-US')} rows)`,
    ],
    ['first window start', formatTime(status.firstWindowStart)],
    ['last window start', formatTime(status.lastWindowStart)],
    ['newest final window end', formatTime(status.newestFinalWindowEnd)],
    ["Pendo's time at last read", formatTime(status.lastPendoTime)],
    ['lag', status.lagMs === null ? '- (no closed window read yet)' : formatDuration(status.lagMs)],
    ['last run', describeLastRun(status)],
  ];
  const body = formatTable(['', ''], lines)
    .split('\n')
    .slice(1)
    .map((line) => `  ${line}`);
  return [`${status.stream}:`, ...body].join('\n');
}

/** Formats the event stream sections of `pendo-sync status`, with times in UTC. */
export function formatStreamSections(streams: EventStreamStatus[]): string {
  const header = 'Event streams (times in UTC):';
  return [header, ...streams.map(formatStreamSection)].join('\n\n');
}
