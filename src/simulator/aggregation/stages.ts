import type { SortKey } from './compare';
import type { Evaluator } from './expression';

/** One aggregate of `group` or `reduce`: `{"total": {"sum": "numEvents"}}`. */
export interface Aggregate {
  output: string;
  operation: 'count' | 'sum' | 'min' | 'max' | 'first' | 'last';
  /** Path the aggregate reads; null counts rows. */
  path: string | null;
}

/** A validated pipeline stage after the source. */
export type Stage =
  | { operator: 'filter'; test: Evaluator }
  | { operator: 'sort'; keys: SortKey[] }
  | { operator: 'limit'; count: number }
  | { operator: 'skip'; count: number }
  | { operator: 'select'; fields: [string, Evaluator][] }
  | { operator: 'eval'; fields: [string, Evaluator][] }
  | { operator: 'count' }
  | { operator: 'identified'; field: string; negate: boolean }
  | { operator: 'unwind'; field: string; keepEmpty: boolean }
  | { operator: 'group'; keys: string[]; aggregates: Aggregate[] }
  | { operator: 'reduce'; aggregates: Aggregate[] };
