import type { EventTotals } from '../../verify/event-totals';
import { hasEventDrift, hasTimeZoneMismatch } from '../../verify/verify-events';
import type { EventDayComparison, EventStreamDrift } from '../../verify/verify-events';
import { formatTable } from '../table';

function formatEvents(value: number | null): string | number {
  return value === null ? '-' : value;
}

function describeTotals(totals: EventTotals): string {
  const events =
    totals.numEvents === null ? '' : `, ${totals.numEvents.toLocaleString('en-US')} events`;
  const rows = totals.rows.toLocaleString('en-US');
  return `${rows} rows${events}, ${totals.visitors.toLocaleString('en-US')} visitors`;
}

function describeDay(stream: string, entry: EventDayComparison, label: string): string {
  return (
    `${stream}: ${entry.day} app ${entry.appId}${label}: Pendo has ${describeTotals(entry.pendo)}, ` +
    `the database ${describeTotals(entry.database)}`
  );
}

function describeZones(zones: (string | null)[]): string {
  return zones.map((zone) => zone ?? 'an unknown time zone').join(' and ');
}

function resultOf(drift: EventStreamDrift): string {
  if (hasTimeZoneMismatch(drift)) return 'TIME ZONE';
  return hasEventDrift(drift) ? 'DRIFT' : 'ok';
}

/**
 * Prints one line per event stream with its totals over the final days. Then it prints one
 * line per stream whose windows were read in another time zone, and each day and app that
 * differs: drift for final days, "still open" for days a later sync reads again.
 */
export function printStreamDrift(drifts: EventStreamDrift[]): void {
  console.log(
    formatTable(
      [
        'stream',
        'final days',
        'open days',
        'pendo rows',
        'database rows',
        'pendo events',
        'database events',
        'result',
      ],
      drifts.map((drift) => [
        drift.stream,
        drift.finalDays,
        drift.openDays,
        drift.pendo.rows,
        drift.database.rows,
        formatEvents(drift.pendo.numEvents),
        formatEvents(drift.database.numEvents),
        resultOf(drift),
      ]),
    ),
  );
  console.log(
    'Rows and events are summed over final days. Open days are compared too, but Pendo may ' +
      'still change them, so a difference there is not drift.',
  );
  for (const drift of drifts.filter(hasTimeZoneMismatch)) {
    console.log(
      `${drift.stream}: its windows were read in ${describeZones(drift.otherTimeZones)}, ` +
        `but PENDO_TIME_ZONE is ${drift.timeZone}; run \`pendo-sync sync\` to read them again in ` +
        'the new zone, or set PENDO_TIME_ZONE back',
    );
  }
  for (const drift of drifts) {
    for (const entry of drift.drifted) console.log(describeDay(drift.stream, entry, ''));
    for (const entry of drift.openDifferences) {
      console.log(describeDay(drift.stream, entry, ' (still open, not drift)'));
    }
  }
}
