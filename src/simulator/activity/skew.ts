import type { Random } from '../random';

/**
 * Returns an index in [0, size) where low indexes are far more likely: u^exponent with u
 * uniform. With exponent 3 the first 10% of indexes get about 46% of the draws, a Zipf-like
 * skew in which a few features or visitors account for most activity.
 */
export function skewedIndex(random: Random, size: number, exponent: number): number {
  return Math.min(size - 1, Math.floor(random.next() ** exponent * size));
}

/** Picks an item with the skew of `skewedIndex`; throws on an empty list. */
export function pickSkewed<T>(random: Random, items: readonly T[], exponent: number): T {
  const item = items[skewedIndex(random, items.length, exponent)];
  if (item === undefined) throw new Error('pickSkewed needs a non-empty list');
  return item;
}

/**
 * Maps a uniform position in a day, in [0, 1), to a time of day with more activity around
 * midday than at night. The map is increasing, so ordered inputs stay ordered.
 */
export function diurnal(position: number): number {
  const amplitude = 0.8;
  return position - (amplitude * Math.sin(2 * Math.PI * position)) / (2 * Math.PI);
}
