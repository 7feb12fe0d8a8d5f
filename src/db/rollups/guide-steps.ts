import type { Queryable } from '../queryable';

/** Position of each step id in the steps of each stored guide, from 1. */
const STEP_POSITIONS = `
  select guide.id as guide_id, step.value ->> 'id' as step_id, min(step.number)::integer as step_number
  from pendo_guides as guide
  cross join lateral jsonb_array_elements(
    case when jsonb_typeof(guide.raw -> 'steps') = 'array' then guide.raw -> 'steps' end
  ) with ordinality as step (value, number)
  group by 1, 2`;

/**
 * Sets `step_number` of every pendo_guide_step_daily row and `completions` of every
 * pendo_guide_daily row from the guides now in pendo_guides, writing only rows that change.
 * A completion is a guideAdvanced event on the guide's last step, which the step rollup counts
 * as `advanced` of that step. Call it after a sync of the guides catalog, because the event
 * windows that a run commits before the guides arrive count no completions for unknown guides.
 * Returns the number of rows changed.
 */
export async function updateGuideCompletions(db: Queryable): Promise<number> {
  const steps = await db.query(
    `with positions as (${STEP_POSITIONS}),
     wanted as (
       select daily.day, daily.app_id, daily.guide_id, daily.step_id, positions.step_number
       from pendo_guide_step_daily as daily
       left join positions using (guide_id, step_id)
     )
     update pendo_guide_step_daily as daily
     set step_number = wanted.step_number
     from wanted
     where daily.day = wanted.day
       and daily.app_id = wanted.app_id
       and daily.guide_id = wanted.guide_id
       and daily.step_id = wanted.step_id
       and daily.step_number is distinct from wanted.step_number`,
  );
  const completions = await db.query(
    `with last_steps as (
       select id as guide_id, raw -> 'steps' -> -1 ->> 'id' as step_id from pendo_guides
     ),
     wanted as (
       select daily.day, daily.app_id, daily.guide_id, coalesce(step.advanced, 0) as completions
       from pendo_guide_daily as daily
       left join last_steps on last_steps.guide_id = daily.guide_id
       left join pendo_guide_step_daily as step
         on step.day = daily.day
        and step.app_id = daily.app_id
        and step.guide_id = daily.guide_id
        and step.step_id = last_steps.step_id
     )
     update pendo_guide_daily as daily
     set completions = wanted.completions
     from wanted
     where daily.day = wanted.day
       and daily.app_id = wanted.app_id
       and daily.guide_id = wanted.guide_id
       and daily.completions <> wanted.completions`,
  );
  return (steps.rowCount ?? 0) + (completions.rowCount ?? 0);
}
