/** A request to stop a long-running command: SIGINT, SIGTERM, or the parent process ending. */
export interface StopRequest {
  /** The signal received; SIGTERM when the parent process ended, which is handled the same way. */
  signal: 'SIGINT' | 'SIGTERM';
  /** Why the command stops, for logs and the run record: `the process received SIGTERM`. */
  reason: string;
  /** How to quit at once instead of stopping cleanly: `press Ctrl-C again to quit at once`. */
  quitHint: string;
}

/** How often the parent process is checked, in milliseconds. */
const PARENT_CHECK_INTERVAL_MS = 1_000;

function requestFor(signal: 'SIGINT' | 'SIGTERM'): StopRequest {
  return {
    signal,
    reason: `the process received ${signal}`,
    quitHint:
      signal === 'SIGINT'
        ? 'press Ctrl-C again to quit at once'
        : 'send SIGTERM again to quit at once',
  };
}

/**
 * Calls `onStop` on each SIGINT and SIGTERM, and once when the parent process ends. Returns a
 * function that stops watching.
 *
 * Why the parent: `npx pendo-sync …` runs this process under npm and a shell. Killing npm with
 * SIGTERM does not pass the signal on, so this process is re-parented and would keep running
 * (and keep the embedded PostgreSQL up). A change of `process.ppid` shows that the parent has
 * ended, and is handled like SIGTERM. The check timer is unref'ed, so it never keeps the
 * process alive.
 */
export function watchStopRequests(
  onStop: (request: StopRequest) => void,
  checkIntervalMs = PARENT_CHECK_INTERVAL_MS,
): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    onStop(requestFor(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM'));
  };
  const parentPid = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parentPid) return;
    clearInterval(timer);
    onStop({
      signal: 'SIGTERM',
      reason: 'the parent process ended',
      quitHint: 'send SIGTERM to quit at once',
    });
  }, checkIntervalMs);
  timer.unref();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    clearInterval(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
