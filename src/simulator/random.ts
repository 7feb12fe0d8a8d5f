/**
 * Deterministic randomness. Every generated value comes from a generator seeded by a hash of
 * its coordinates (seed, entity, slot, version, …), so the same coordinates always give the
 * same value and no generator state has to be stored between requests.
 */

/** Hashes strings and numbers into a 32-bit seed (FNV-1a over the joined parts, then mixed). */
export function hashSeed(...parts: (string | number)[]): number {
  let hash = 0x811c9dc5;
  const text = parts.join('\u0001');
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}

const LATIN1 = new TextDecoder('latin1');

/** A small seeded pseudo-random generator (mulberry32) with helpers for picking values. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Creates a generator for the given coordinates. */
  static of(...parts: (string | number)[]): Random {
    return new Random(hashSeed(...parts));
  }

  /** Returns a float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Returns an integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Returns true with the given probability. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Random.pick needs a non-empty list');
    return item;
  }

  /** Returns `prefix` followed by `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number, prefix = ''): string {
    // Decoded from bytes in one call: concatenating in a loop would leave a rope of
    // `length` nodes, which costs about 30 times the memory for the ids the index keeps
    // and makes every comparison of ids slower. Alphabets are ASCII, so latin1 is exact.
    const bytes = new Uint8Array(prefix.length + length);
    for (let i = 0; i < prefix.length; i++) bytes[i] = prefix.charCodeAt(i);
    for (let i = prefix.length; i < bytes.length; i++) {
      bytes[i] = alphabet.charCodeAt(Math.floor(this.next() * alphabet.length));
    }
    return LATIN1.decode(bytes);
  }
}

const URL_SAFE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Returns a 27-character URL-safe id like Pendo's (`aRnno0-bo2WMPJ7HBIFzCuDtKfg`). About one
 * id in 25 starts with `-`, as some real ids do.
 */
export function pendoId(...parts: (string | number)[]): string {
  const random = Random.of('id', ...parts);
  const first = random.chance(0.04) ? '-' : random.chars(URL_SAFE_ALPHABET.slice(0, 62), 1);
  return random.chars(URL_SAFE_ALPHABET, 26, first);
}

/** Returns a digit string of the given length that does not start with 0, like Pendo user ids. */
export function digitId(random: Random, length: number): string {
  return String(random.int(1, 9)) + random.chars('0123456789', length - 1);
}
