import type { CatalogEntity } from '../../../types';
import type { Catalog } from '../../data/catalog';
import { generateGuide } from '../../data/guides';
import { NO_APP } from '../../data/store';

/** Maximum number of guides per app that events refer to; each costs one generated guide. */
const MAX_GUIDES_PER_APP = 300;

/** The fields of one guide that guide and poll events use. */
export interface GuideRef {
  id: string;
  stepIds: string[];
  /** URL of the page the first step shows on. */
  url: string;
  polls: { id: string; numeric: boolean }[];
}

/** Catalog ids events refer to, per app index. */
export interface AppPool {
  pages: string[];
  features: string[];
  trackTypes: string[];
  guides: GuideRef[];
  /** Guides with at least one poll. */
  pollGuides: GuideRef[];
}

/**
 * Ids of the initial records of one entity for one app. Events refer to the catalog as it was
 * at start, so history stays the same when later mutations delete or add records.
 */
function initialIds(catalog: Catalog, entity: CatalogEntity, appIndex: number): string[] {
  const store = catalog.stores[entity];
  const size = Math.min(store.size, catalog.context.initialSizes[entity]);
  const ids: string[] = [];
  for (let slot = 0; slot < size; slot++) {
    const app = store.appIndex[slot] ?? NO_APP;
    if (app === appIndex) ids.push(store.ids[slot] ?? '');
  }
  return ids;
}

function guideRefs(catalog: Catalog, appIndex: number): GuideRef[] {
  const store = catalog.stores.guides;
  const size = Math.min(store.size, catalog.context.initialSizes.guides);
  const refs: GuideRef[] = [];
  for (let slot = 0; slot < size && refs.length < MAX_GUIDES_PER_APP; slot++) {
    if ((store.appIndex[slot] ?? NO_APP) !== appIndex) continue;
    // Version 1 is the guide as first published, so its steps do not change with edits.
    const guide = generateGuide(catalog.context, { ...store.row(slot), version: 1 });
    const steps = (guide.steps as { id: string; launchUrl: string }[] | undefined) ?? [];
    const polls = (guide.polls as { id: string; attributes: { type: string } }[] | undefined) ?? [];
    refs.push({
      id: String(guide.id),
      stepIds: steps.map((step) => step.id),
      url: steps[0]?.launchUrl ?? '',
      polls: polls.map((poll) => ({ id: poll.id, numeric: poll.attributes.type === 'NPSRating' })),
    });
  }
  return refs;
}

/** Builds the pool of one app; guides are generated, so this runs once per app and is cached. */
export function buildAppPool(catalog: Catalog, appIndex: number): AppPool {
  const guides = guideRefs(catalog, appIndex).filter((guide) => guide.stepIds.length > 0);
  return {
    pages: initialIds(catalog, 'pages', appIndex),
    features: initialIds(catalog, 'features', appIndex),
    trackTypes: initialIds(catalog, 'track_types', appIndex),
    guides,
    pollGuides: guides.filter((guide) => guide.polls.length > 0),
  };
}
