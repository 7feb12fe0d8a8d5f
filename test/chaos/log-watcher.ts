import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Trigger } from './scenario';

/** The fields of a CLI JSON log line that triggers look at. */
interface LogLine {
  msg?: string;
  entity?: string;
  pass?: string;
  stream?: string;
}

/** Returns true when a `pass started` line starts the pass a trigger waits for. */
function startsPass(line: LogLine, trigger: Trigger): boolean {
  if (trigger.stream !== undefined) {
    return line.msg === 'stream started' && line.stream === trigger.stream;
  }
  if (line.msg !== 'pass started') return false;
  if (trigger.entity !== undefined && line.entity !== trigger.entity) return false;
  return trigger.pass === undefined || (line.pass ?? '').startsWith(trigger.pass);
}

/** Returns true when a line reports a committed batch that counts towards a trigger. */
function countsBatch(line: LogLine, trigger: Trigger): boolean {
  if (trigger.stream !== undefined) {
    return line.msg === 'event window committed' && line.stream === trigger.stream;
  }
  if (line.msg !== 'batch committed') return false;
  return trigger.entity === undefined || line.entity === trigger.entity;
}

/**
 * Reads the JSON log lines (LOG_LEVEL=debug) that a CLI sync writes to stderr and tells when
 * a trigger's moment has come: the `pass started` line it waits for (or `sync started` when
 * it names no entity, pass or stream), then its number of `batch committed` lines. A trigger
 * on a stream waits for its `stream started` line, then counts its `event window committed`
 * lines.
 */
export class LogWatcher {
  private buffer = '';
  private readonly waiting = new Set<(line: LogLine) => void>();

  constructor(stream: Readable) {
    stream.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      const lines = this.buffer.split('\n');
      this.buffer = lines.pop() ?? '';
      for (const text of lines) this.dispatch(text);
    });
  }

  private dispatch(text: string): void {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    for (const listener of [...this.waiting]) listener(line);
  }

  /**
   * Resolves true at the trigger's moment, its delay included, or false when `exited`
   * settles first, so a trigger never waits for a process that has ended.
   */
  async waitFor(trigger: Trigger, exited: Promise<unknown>): Promise<boolean> {
    const anyPass =
      trigger.entity === undefined && trigger.pass === undefined && trigger.stream === undefined;
    let started = false;
    let batches = 0;
    let listener: ((line: LogLine) => void) | undefined;
    const reached = new Promise<boolean>((resolve) => {
      listener = (line) => {
        if (!started) {
          started = anyPass ? line.msg === 'sync started' : startsPass(line, trigger);
        } else if (countsBatch(line, trigger)) {
          batches += 1;
        }
        if (started && batches >= trigger.batches) resolve(true);
      };
      this.waiting.add(listener);
    });
    const ended = exited.then(
      () => false,
      () => false,
    );
    try {
      if (!(await Promise.race([reached, ended]))) return false;
    } finally {
      if (listener) this.waiting.delete(listener);
    }
    if (trigger.delayMs > 0) await sleep(trigger.delayMs);
    return true;
  }
}
