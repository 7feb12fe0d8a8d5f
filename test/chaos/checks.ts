import { expect } from 'vitest';
import { ABANDONED_RUN_ERROR } from '../../src/db/runs';
import { ENTITIES } from '../../src/types';
import type { Entity, RunStatus } from '../../src/types';
import type { CliResult } from '../cli/helpers';
import { sorted } from '../sync/helpers';
import type { RunRow, ScenarioReport, Snapshot } from './run-scenario';
import { RUN_TIMEOUT_MS } from './run-scenario';

/**
 * Errors a faulty run may store, by cause. A failed or partial run entity must carry one of
 * them, so a new kind of message, or one that names no cause, fails the scenario.
 */
const KNOWN_ERRORS: { cause: string; pattern: RegExp }[] = [
  { cause: 'process killed', pattern: new RegExp(`^${ABANDONED_RUN_ERROR}$`) },
  { cause: 'stopped early', pattern: /^stopped early: / },
  { cause: 'HTTP status', pattern: /Pendo returned HTTP \d{3}/ },
  { cause: 'HTTP body', pattern: /response body|JSON|truncated|timed out|reset|socket|gzip/i },
  { cause: 'statement timeout', pattern: /canceling statement due to statement timeout/ },
  {
    cause: 'database connection',
    pattern:
      /the database connection was lost|terminating connection|Connection terminated|ECONNREFUSED|ECONNRESET|the database system is (shutting down|starting up|in recovery mode)|Client has encountered a connection error|connection is closed|Cannot use a pool after calling end/i,
  },
];

/** Matches the summary line that `pendo-sync sync` prints last. */
const SUMMARY_LINE = /^run ([0-9a-f-]{36}): (\w+)$/m;

function printedRun(result: CliResult): { runId: string; status: string } | undefined {
  const match = SUMMARY_LINE.exec(result.stdout);
  return match?.[1] && match[2] ? { runId: match[1], status: match[2] } : undefined;
}

/** Returns the run status that `runSync` derives from its entities: failed, partial, completed. */
function combinedStatus(rows: RunRow[]): RunStatus {
  if (rows.some((row) => row.status === 'failed')) return 'failed';
  if (rows.some((row) => row.status === 'partial')) return 'partial';
  return 'completed';
}

function difference(from: Set<string>, without: Set<string>): string[] {
  return [...from].filter((id) => !without.has(id));
}

/** Counts the rows of an entity inserted, deleted and undeleted between two snapshots. */
function tableChanges(before: Snapshot, after: Snapshot, entity: Entity) {
  const deletedBefore = new Set(difference(before[entity].all, before[entity].live));
  return {
    inserted: difference(after[entity].all, before[entity].all).length,
    deleted: [...before[entity].live].filter((id) => !after[entity].live.has(id)).length,
    undeleted: [...deletedBefore].filter((id) => after[entity].live.has(id)).length,
  };
}

/**
 * Runs the checks of one scenario. Each message starts with the seed and `replayCommand`,
 * the command that runs this form of the suite.
 */
export function checkScenario(report: ScenarioReport, replayCommand: string): void {
  const { scenario } = report;
  const label = `seed ${scenario.seed} (replay: CHAOS_SEED=${scenario.seed} ${replayCommand})`;
  checkProcesses(report, label);
  checkConverged(report, label);
  checkRunLog(report, label);
  checkSecrets(report, label);
  checkFaultEffects(report, label);
}

function checkProcesses(report: ScenarioReport, label: string): void {
  const { setup, faulty, clean, verify, fault } = report;
  if (setup) expect(setup.code, `${label}: setup sync\n${setup.stdout}`).toBe(0);
  if (fault.killed) {
    expect(faulty.signal, `${label}: faulty sync killed`).toBe('SIGKILL');
  } else {
    // A signal here means the spawn timeout killed a hung sync.
    expect(faulty.signal, `${label}: faulty sync hung\n${faulty.stderr.slice(-3000)}`).toBeNull();
    expect([0, 1], `${label}: faulty sync exit code\n${faulty.stdout}`).toContain(faulty.code);
    expect(faulty.durationMs, `${label}: faulty sync duration`).toBeLessThan(RUN_TIMEOUT_MS);
  }
  expect(clean.code, `${label}: clean sync\n${clean.stdout}\n${clean.stderr.slice(-3000)}`).toBe(0);
  expect(printedRun(clean)?.status, `${label}: clean sync status`).toBe('completed');
  expect(verify.code, `${label}: verify\n${verify.stdout}\n${verify.stderr}`).toBe(0);
  expect(verify.stdout, `${label}: verify output`).toContain('No drift');
}

function checkConverged(report: ScenarioReport, label: string): void {
  for (const entity of ENTITIES) {
    const stored = sorted(report.afterClean[entity].live);
    expect(stored, `${label}: ${entity} live ids equal the simulator`).toEqual(
      sorted(report.truth[entity]),
    );
    expect(report.duplicates[entity], `${label}: ${entity} duplicated ids`).toEqual([]);
  }
}

function isEntity(name: string): name is Entity {
  return (ENTITIES as readonly string[]).includes(name);
}

/** Checks that a run entity's counters match the rows that really changed. */
function checkCounts(row: RunRow, before: Snapshot, after: Snapshot, label: string): void {
  // Event streams may share the run log; their rows are checked by status and error only.
  if (!isEntity(row.entity)) return;
  const actual = tableChanges(before, after, row.entity);
  const name = `${label}: ${row.entity} of run ${row.run_id} (${row.status})`;
  if (row.error === ABANDONED_RUN_ERROR) {
    // A killed process stored its counters after each batch, so the last batch may be missing.
    expect(Number(row.inserted), `${name} inserted`).toBeLessThanOrEqual(actual.inserted);
    return;
  }
  expect(Number(row.inserted), `${name} inserted`).toBe(actual.inserted);
  expect(Number(row.deleted), `${name} deleted`).toBe(actual.deleted);
  expect(Number(row.undeleted), `${name} undeleted`).toBe(actual.undeleted);
}

function checkRunLog(report: ScenarioReport, label: string): void {
  const rows = report.runLogAfterClean;
  const running = rows.filter((row) => row.status === 'running');
  expect(
    running.map((row) => row.entity),
    `${label}: rows still running`,
  ).toEqual([]);

  const cleanRunId = printedRun(report.clean)?.runId;
  const cleanRows = rows.filter((row) => row.run_id === cleanRunId);
  const cleanEntities = cleanRows.filter((row) => isEntity(row.entity)).map((row) => row.entity);
  expect(sorted(cleanEntities), `${label}: clean run entities`).toEqual(sorted(ENTITIES));
  for (const row of cleanRows) {
    expect(row.status, `${label}: clean run ${row.entity}`).toBe('completed');
    expect(row.error, `${label}: clean run ${row.entity} error`).toBeNull();
    checkCounts(row, report.afterFaulty, report.afterClean, label);
  }

  const faultyRows = faultyRunRows(report);
  const faultyRunIds = new Set(faultyRows.map((row) => row.run_id));
  expect(faultyRunIds.size, `${label}: faulty runs in the run log`).toBeLessThanOrEqual(1);
  const printed = printedRun(report.faulty);
  if (printed) {
    expect([...faultyRunIds], `${label}: faulty run id`).toEqual([printed.runId]);
    expect(combinedStatus(faultyRows), `${label}: faulty run status`).toBe(printed.status);
    expect(report.faulty.code, `${label}: faulty exit code`).toBe(
      printed.status === 'failed' ? 1 : 0,
    );
  }

  const runningAtEnd = new Set(
    report.runLogAfterFaulty.filter((row) => row.status === 'running').map((row) => row.id),
  );
  if (printed) {
    expect(runningAtEnd.size, `${label}: rows left running by a finished sync`).toBe(0);
  }
  for (const row of faultyRows) {
    const name = `${label}: faulty ${row.entity} (${row.status}, error ${JSON.stringify(row.error)})`;
    if (runningAtEnd.has(row.id)) {
      expect(row.status, `${name} marked abandoned`).toBe('failed');
      expect(row.error, `${name} abandoned message`).toBe(ABANDONED_RUN_ERROR);
    }
    if (row.status === 'completed') {
      expect(row.error, name).toBeNull();
    } else {
      expect(row.error, name).not.toBeNull();
      const causes = KNOWN_ERRORS.filter(({ pattern }) => pattern.test(row.error ?? ''));
      expect(causes.length, `${name}: the error names no known cause`).toBeGreaterThan(0);
    }
    checkCounts(row, report.beforeFaulty, report.afterFaulty, label);
  }
}

function checkSecrets(report: ScenarioReport, label: string): void {
  const secrets = [report.apiKey, report.password];
  const texts = [
    ...report.runLogAfterClean.map((row) => row.error ?? ''),
    ...[report.setup, report.faulty, report.clean, report.verify].flatMap((result) =>
      result ? [result.stdout, result.stderr] : [],
    ),
  ];
  for (const secret of secrets) {
    const leaks = texts.filter((text) => text.includes(secret));
    expect(leaks.length, `${label}: a secret appears in a log or the run log`).toBe(0);
  }
}

function checkFaultEffects(report: ScenarioReport, label: string): void {
  const { fault } = report.scenario;
  if (!report.fault.landed) return;
  const printed = printedRun(report.faulty);
  const faultyRows = faultyRunRows(report);
  if (fault.kind === 'statement-timeout' && printed) {
    const row = faultyRows.find((entry) => entry.entity === fault.entity);
    expect(row?.status, `${label}: ${fault.entity} under a table lock`).toBe('failed');
    expect(row?.error, `${label}: ${fault.entity} error`).toMatch(/statement timeout/);
  }
  if (fault.kind === 'terminate-session') {
    // A terminated session fails its transaction, which is retried: the sync must go on to
    // record its outcome instead of crashing on the connection's error event.
    expect(printed, `${label}: summary of the sync whose sessions were terminated`).toBeDefined();
  }
}

/** Returns the run log rows of the faulty run: neither the setup run nor the clean run. */
function faultyRunRows(report: ScenarioReport): RunRow[] {
  const cleanRunId = printedRun(report.clean)?.runId;
  const setupRunId = report.setup ? printedRun(report.setup)?.runId : undefined;
  return report.runLogAfterClean.filter(
    (row) => row.run_id !== cleanRunId && row.run_id !== setupRunId,
  );
}

/** Returns a few lines about what a scenario's faults did, for the test output. */
export function summarizeReport(report: ScenarioReport): string {
  const { fault, faulty } = report;
  const rows = faultyRunRows(report);
  const statuses = rows.map((row) => `${row.entity}=${row.status}`).join(' ');
  const errors = new Set(rows.flatMap((row) => (row.error ? [row.error.slice(0, 160)] : [])));
  let struck = fault.landed ? 'struck' : `missed (${fault.detail})`;
  if (report.scenario.fault.kind === 'none') struck = 'not used';
  const lines = [
    `seed ${report.scenario.seed}: ${report.scenario.fault.kind} ${struck}`,
    `faulty sync: exit ${faulty.code ?? faulty.signal}, ${printedRun(faulty)?.status ?? 'no summary'}, ${faulty.durationMs} ms; ${statuses}`,
    ...[...errors].map((error) => `  error: ${error}`),
    `clean sync ${report.clean.durationMs} ms, verify exit ${report.verify.code}`,
  ];
  if (fault.terminatedStates.length > 0) {
    lines.splice(1, 0, `terminated sessions: ${fault.terminatedStates.join(', ')}`);
  }
  return lines.join('\n');
}
