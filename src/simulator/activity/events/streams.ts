/** Aggregation sources with activity rows; every one of them needs a timeSeries. */
export const EVENT_SOURCES = [
  'pageEvents',
  'featureEvents',
  'trackEvents',
  'events',
  'guideEvents',
  'pollEvents',
] as const;

export type EventSource = (typeof EVENT_SOURCES)[number];

/** The generation kind, share of events and catalog id field of one event source. */
export interface StreamInfo {
  source: EventSource;
  /** `aggregate`: per-period sums of visits; `interaction`: one row per guide or poll event. */
  kind: 'aggregate' | 'interaction';
  /** Share of `eventsPerDay` that the source gets. */
  share: number;
  /** Field naming the page, feature, track type or guide; absent on `events`. */
  targetField: 'pageId' | 'featureId' | 'trackTypeId' | 'guideId' | undefined;
  /** Source parameter that narrows rows to one target, such as `{"pageId": "…"}`. */
  narrowParam: 'pageId' | 'featureId' | 'trackTypeId' | 'guideId' | undefined;
}

export const STREAMS: Record<EventSource, StreamInfo> = {
  pageEvents: {
    source: 'pageEvents',
    kind: 'aggregate',
    share: 0.35,
    targetField: 'pageId',
    narrowParam: 'pageId',
  },
  featureEvents: {
    source: 'featureEvents',
    kind: 'aggregate',
    share: 0.33,
    targetField: 'featureId',
    narrowParam: 'featureId',
  },
  trackEvents: {
    source: 'trackEvents',
    kind: 'aggregate',
    share: 0.08,
    targetField: 'trackTypeId',
    narrowParam: 'trackTypeId',
  },
  events: {
    source: 'events',
    kind: 'aggregate',
    share: 0.12,
    targetField: undefined,
    narrowParam: undefined,
  },
  guideEvents: {
    source: 'guideEvents',
    kind: 'interaction',
    share: 0.1,
    targetField: 'guideId',
    narrowParam: 'guideId',
  },
  pollEvents: {
    source: 'pollEvents',
    kind: 'interaction',
    share: 0.02,
    targetField: 'guideId',
    narrowParam: 'guideId',
  },
};

export function isEventSource(name: string): name is EventSource {
  return (EVENT_SOURCES as readonly string[]).includes(name);
}
