import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncHarness, TestSyncRun } from './helpers';
import { runTestSync, startHarness } from './helpers';

const WRONG_KEY = 'f00dcafe-1234-4bad-9e11-c0ffee0ddba1';

interface LogLine {
  msg: string;
  err?: { type?: string; message?: string };
}

describe('logged sync errors', () => {
  let harness: SyncHarness;
  let run: TestSyncRun;
  let failures: LogLine[];

  beforeAll(async () => {
    harness = await startHarness();
    run = await runTestSync(harness, { entities: ['guides'], apiKey: WRONG_KEY });
    failures = run.logLines
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.msg === 'entity failed');
  });

  afterAll(async () => {
    await harness.close();
  });

  it('logs the failure once', () => {
    expect(run.summary.status).toBe('failed');
    expect(failures).toHaveLength(1);
  });

  it('keeps the error message', () => {
    expect(failures[0]?.err?.message).toContain('PENDO_API_KEY');
  });

  it('keeps the error type', () => {
    expect(failures[0]?.err?.type).toBe('PendoApiError');
  });

  it('keeps the key out', () => {
    expect(JSON.stringify(failures)).not.toContain(WRONG_KEY);
  });
});
