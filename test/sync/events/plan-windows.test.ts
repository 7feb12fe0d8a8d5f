import { describe, expect, it } from 'vitest';
import type { StoredWindow } from '../../../src/db/events/windows';
import {
  localDate,
  localMidnight,
  nextLocalDay,
  startOfLocalDay,
} from '../../../src/sync/events/local-days';
import { isFinalWindow, planWindows } from '../../../src/sync/events/plan-windows';
import { splitRange } from '../../../src/sync/events/read-ranges';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe('local days', () => {
  it.each([
    ['America/New_York', 2026, 11, 1, '2026-11-01T04:00:00.000Z', 25],
    ['America/New_York', 2027, 3, 14, '2027-03-14T05:00:00.000Z', 23],
    ['America/New_York', 2026, 11, 2, '2026-11-02T05:00:00.000Z', 24],
    ['Europe/London', 2026, 10, 25, '2026-10-24T23:00:00.000Z', 25],
    ['Asia/Kolkata', 2026, 11, 1, '2026-10-31T18:30:00.000Z', 24],
    ['UTC', 2026, 12, 31, '2026-12-31T00:00:00.000Z', 24],
  ])('%s %i-%i-%i starts at %s and lasts %i hours', (zone, year, month, day, iso, hours) => {
    const start = localMidnight(zone, year, month, day);
    expect(new Date(start).toISOString()).toBe(iso);
    expect((nextLocalDay(zone, start) - start) / HOUR_MS).toBe(hours);
    expect(startOfLocalDay(zone, start + hours * HOUR_MS - 1)).toBe(start);
    expect(startOfLocalDay(zone, start)).toBe(start);
    expect(localDate(zone, start)).toBe(
      `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    );
  });
});

describe('window plan', () => {
  const zone = 'America/New_York';
  const since = localMidnight(zone, 2026, 11, 10);
  const now = localMidnight(zone, 2026, 11, 15) + 10 * HOUR_MS;
  const options = { streams: [], since, lagMs: HOUR_MS, lookbackMs: 2 * DAY_MS, timeZone: zone };

  function stored(day: number, final: boolean, period: 'day' | 'hour' = 'day'): StoredWindow {
    const start = localMidnight(zone, 2026, 11, day);
    return { start, end: nextLocalDay(zone, start), period, rows: 1, final, pendoTime: now };
  }

  it('lists unread days first, then open ones', () => {
    const plan = planWindows({
      pendoNow: now,
      options,
      period: 'day',
      stored: [stored(10, true), stored(11, true), stored(12, false, 'hour'), stored(14, false)],
    });
    expect(plan.horizon).toBe(now - HOUR_MS);
    expect(plan.windows.map((window) => localDate(zone, window.start))).toEqual([
      '2026-11-13',
      '2026-11-15',
      '2026-11-12',
      '2026-11-14',
    ]);
    expect(plan.windows.map((window) => window.unread)).toEqual([true, true, false, false]);
    expect(plan.windows[2]?.period).toBe('hour');
  });

  it('starts at the retention cutoff', () => {
    const cutoff = localMidnight(zone, 2026, 11, 13);
    const plan = planWindows({ pendoNow: now, options, period: 'day', stored: [], cutoff });
    expect(plan.since).toBe(cutoff);
    expect(plan.windows).toHaveLength(3);
  });

  it('defaults to 30 days before Pendo time', () => {
    const plan = planWindows({
      pendoNow: now,
      options: { ...options, since: undefined },
      period: 'day',
      stored: [],
    });
    expect(localDate(zone, plan.since)).toBe('2026-10-16');
    expect(plan.windows).toHaveLength(31);
  });

  it('reads no window that starts after the horizon', () => {
    const early = localMidnight(zone, 2026, 11, 15) + HOUR_MS / 2;
    const plan = planWindows({ pendoNow: early, options, period: 'day', stored: [] });
    expect(plan.windows.map((window) => localDate(zone, window.start)).at(-1)).toBe('2026-11-14');
  });

  it('marks a window final once its lookback has passed', () => {
    const window = { end: localMidnight(zone, 2026, 11, 13) };
    expect(isFinalWindow(window, window.end + 2 * DAY_MS, 2 * DAY_MS)).toBe(true);
    expect(isFinalWindow(window, window.end + 2 * DAY_MS - 1, 2 * DAY_MS)).toBe(false);
  });
});

describe('range split', () => {
  it('halves a 25-hour day into hour ranges', () => {
    const start = localMidnight('America/New_York', 2026, 11, 1);
    const halves = splitRange({ start, end: start + 25 * HOUR_MS, period: 'day' });
    expect(halves).toEqual([
      { start, end: start + 12 * HOUR_MS, period: 'hour' },
      { start: start + 12 * HOUR_MS, end: start + 25 * HOUR_MS, period: 'hour' },
    ]);
  });

  it('cannot split a single hour', () => {
    expect(splitRange({ start: 0, end: HOUR_MS, period: 'hour' })).toBeUndefined();
  });
});
