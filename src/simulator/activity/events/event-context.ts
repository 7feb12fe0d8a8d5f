import type { PeopleContext } from '../people/people-context';
import type { AppPool } from './pools';
import type { VisitorTraits } from './visitor-traits';
import type { EventSource } from './streams';

/** Everything the event generators read; none of it changes after start. */
export interface EventContext {
  seed: string;
  apps: readonly number[];
  timeZone: string;
  eventsPerDay: number;
  /** Local midnight of the first day with events. */
  eventsStart: number;
  people: PeopleContext;
  /** Number of initial visitors; events refer to these. */
  visitorCount: number;
  visitorId: (slot: number) => string;
  /** Returns the account, browser, addresses and place of an initial visitor. */
  traits: (slot: number) => VisitorTraits;
  /** Returns the catalog ids of an app, built on first use. */
  pool: (appIndex: number) => AppPool;
}

/** A time bucket of a timeSeries: [start, end) in epoch milliseconds. */
export interface Bucket {
  period: 'day' | 'hour';
  start: number;
  end: number;
}

/** The events of one source, app and local day; rows derive from it and the seed alone. */
export interface Slice {
  source: EventSource;
  appIndex: number;
  dayStart: number;
  dayEnd: number;
  /** Number of visits (aggregate sources) or interactions in the day. */
  size: number;
}
