import { formatDuration } from '../config/durations';
import type { Logger } from '../log';
import { EVENT_STREAMS } from '../events/streams';
import type { EventStream } from '../events/streams';
import { ENTITIES } from '../types';
import type { Entity, SyncMode } from '../types';
import type { EntityCounts, EntityResult, StreamResult } from './context';

/** Subject of one progress line: an entity or an event stream. */
export type ProgressSubject = Entity | EventStream;

/**
 * Receives progress of each entity's passes and each event stream; the engine calls it after
 * every batch or window.
 */
export interface ProgressReporter {
  /** A pass begins; `total` is the number of records Pendo reported for it, when known. */
  start(
    entity: ProgressSubject,
    pass: string,
    mode: SyncMode | StreamResult['mode'],
    total: number | undefined,
  ): void;
  advance(entity: ProgressSubject, counts: EntityCounts): void;
  finish(result: EntityResult | StreamResult): void;
  close(): void;
}

/** Returns the entity or stream a result belongs to. */
export function subjectOf(result: EntityResult | StreamResult): ProgressSubject {
  return 'stream' in result ? result.stream : result.entity;
}

interface Line {
  entity: ProgressSubject;
  pass: string;
  total: number | undefined;
  fetched: number;
  startedAt: number;
  done: string | undefined;
}

/** Width of the name column: the longest entity or stream name, `feature_events`. */
const NAME_WIDTH = Math.max(...[...ENTITIES, ...EVENT_STREAMS].map((name) => name.length));

function describeLine(line: Line, now: number): string {
  const name = `${line.entity.padEnd(NAME_WIDTH)} ${line.pass.padEnd(12)}`;
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
  private readonly lines = new Map<ProgressSubject, Line>();
  private drawnLines = 0;
  private lastDrawAt = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  start(
    entity: ProgressSubject,
    pass: string,
    _mode: SyncMode | StreamResult['mode'],
    total: number | undefined,
  ): void {
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

  advance(entity: ProgressSubject, counts: EntityCounts): void {
    const line = this.lines.get(entity);
    if (line) line.fetched = counts.fetched;
    this.draw(false);
  }

  finish(result: EntityResult | StreamResult): void {
    const line = this.lines.get(subjectOf(result));
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

  start(
    entity: ProgressSubject,
    pass: string,
    mode: SyncMode | StreamResult['mode'],
    total: number | undefined,
  ): void {
    this.logger.info({ entity, pass, mode, total }, 'pass started');
  }

  advance(entity: ProgressSubject, counts: EntityCounts): void {
    this.logger.debug({ entity, ...counts }, 'batch committed');
  }

  finish(result: EntityResult | StreamResult): void {
    const { mode, status, counts, durationMs, error, stoppedBecause } = result;
    const level = status === 'failed' ? 'error' : 'info';
    const fields = { mode, status, ...counts, durationMs, error, stoppedBecause };
    if ('stream' in result) {
      const { stream, windowsRead, windowsPlanned } = result;
      this.logger[level]({ stream, ...fields, windowsRead, windowsPlanned }, 'stream finished');
    } else {
      this.logger[level]({ entity: result.entity, ...fields }, 'entity finished');
    }
  }

  close(): void {}
}
