import { formatDuration } from '../config/durations';
import type { Logger } from '../log';
import type { Entity, SyncMode } from '../types';
import type { EntityCounts, EntityResult } from './context';

/** Receives progress of each entity's passes; the engine calls it after every batch. */
export interface ProgressReporter {
  /** A pass begins; `total` is the number of records Pendo reported for it, when known. */
  start(entity: Entity, pass: string, mode: SyncMode, total: number | undefined): void;
  advance(entity: Entity, counts: EntityCounts): void;
  finish(result: EntityResult): void;
  close(): void;
}

interface Line {
  entity: Entity;
  pass: string;
  total: number | undefined;
  fetched: number;
  startedAt: number;
  done: string | undefined;
}

function describeLine(line: Line, now: number): string {
  const name = `${line.entity.padEnd(12)} ${line.pass.padEnd(12)}`;
  if (line.done) return `${name} ${line.done}`;
  const elapsedMs = Math.max(now - line.startedAt, 1);
  const rate = (line.fetched * 1000) / elapsedMs;
  const of = line.total === undefined ? '' : ` / ${line.total.toLocaleString('en-US')}`;
  let left = '';
  if (line.total !== undefined && rate > 0 && line.fetched > 0) {
    const remaining = Math.max(line.total - line.fetched, 0);
    left = `, ${formatDuration((remaining / rate) * 1000)} left`;
  }
  return `${name} ${line.fetched.toLocaleString('en-US')}${of} records, ${Math.round(rate).toLocaleString('en-US')}/s${left}`;
}

/** Redraws one line per entity on a terminal: records, rate and time left. */
export class TerminalProgress implements ProgressReporter {
  private readonly lines = new Map<Entity, Line>();
  private drawnLines = 0;
  private lastDrawAt = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  start(entity: Entity, pass: string, _mode: SyncMode, total: number | undefined): void {
    const previous = this.lines.get(entity);
    this.lines.set(entity, {
      entity,
      pass,
      total,
      fetched: previous?.fetched ?? 0,
      startedAt: Date.now(),
      done: undefined,
    });
    this.draw(true);
  }

  advance(entity: Entity, counts: EntityCounts): void {
    const line = this.lines.get(entity);
    if (line) line.fetched = counts.fetched;
    this.draw(false);
  }

  finish(result: EntityResult): void {
    const line = this.lines.get(result.entity);
    if (line) {
      line.fetched = result.counts.fetched;
      line.done = `${result.status}, ${result.counts.fetched.toLocaleString('en-US')} records in ${formatDuration(result.durationMs)}`;
    }
    this.draw(true);
  }

  close(): void {
    this.draw(true);
  }

  private draw(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastDrawAt < 200) return;
    this.lastDrawAt = now;
    const text = [...this.lines.values()].map((line) => describeLine(line, now));
    if (this.drawnLines > 0) this.stream.write(`\x1b[${this.drawnLines}A`);
    for (const row of text) this.stream.write(`\x1b[2K${row}\n`);
    this.drawnLines = text.length;
  }
}

/** Logs progress as JSON lines: starts and ends at info, batches at debug. */
export class LogProgress implements ProgressReporter {
  constructor(private readonly logger: Logger) {}

  start(entity: Entity, pass: string, mode: SyncMode, total: number | undefined): void {
    this.logger.info({ entity, pass, mode, total }, 'pass started');
  }

  advance(entity: Entity, counts: EntityCounts): void {
    this.logger.debug({ entity, ...counts }, 'batch committed');
  }

  finish(result: EntityResult): void {
    const { entity, mode, status, counts, durationMs, error, stoppedBecause } = result;
    const level = status === 'failed' ? 'error' : 'info';
    this.logger[level](
      { entity, mode, status, ...counts, durationMs, error, stoppedBecause },
      'entity finished',
    );
  }

  close(): void {}
}
