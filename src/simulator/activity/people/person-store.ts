/**
 * The light index of visitors or accounts: ids, `metadata.auto.lastupdated`, versions and
 * deletions, one slot per person ever created. Full records are generated on demand, so
 * 200,000 visitors cost about 14 bytes of arrays plus one short id string each.
 */
export class PersonStore {
  readonly ids: string[] = [];
  private readonly slotsById = new Map<string, number>();
  /** `metadata.auto.lastupdated` by slot; NaN where the record has none. */
  lastUpdated: Float64Array;
  version: Uint32Array;
  deleted: Uint8Array;
  size = 0;
  liveCount = 0;
  /** Increases on every change, so sorted orders can detect that they are stale. */
  revision = 0;

  constructor(initialCapacity: number) {
    const capacity = Math.max(16, initialCapacity);
    this.lastUpdated = new Float64Array(capacity);
    this.version = new Uint32Array(capacity);
    this.deleted = new Uint8Array(capacity);
  }

  /** Adds a person with version 1 and returns its slot. */
  append(id: string, lastUpdated: number): number {
    if (this.size === this.version.length) this.grow(this.size * 2);
    const slot = this.size++;
    this.ids.push(id);
    this.slotsById.set(id, slot);
    this.lastUpdated[slot] = lastUpdated;
    this.version[slot] = 1;
    this.liveCount++;
    this.revision++;
    return slot;
  }

  /** Bumps the version, so the record's content changes, and sets `lastupdated`. */
  touch(slot: number, lastUpdated: number): void {
    this.version[slot] = (this.version[slot] ?? 0) + 1;
    this.lastUpdated[slot] = lastUpdated;
    this.revision++;
  }

  remove(slot: number): void {
    if (this.deleted[slot] === 1) return;
    this.deleted[slot] = 1;
    this.liveCount--;
    this.revision++;
  }

  isLive(slot: number): boolean {
    return slot < this.size && this.deleted[slot] === 0;
  }

  /** Returns the live slot of `id`, or -1. */
  findSlot(id: string): number {
    const slot = this.slotsById.get(id) ?? -1;
    return slot >= 0 && this.isLive(slot) ? slot : -1;
  }

  /** Returns `lastupdated` of a slot, or undefined when the record has none. */
  lastUpdatedOf(slot: number): number | undefined {
    const value = this.lastUpdated[slot] ?? Number.NaN;
    return Number.isNaN(value) ? undefined : value;
  }

  private grow(capacity: number): void {
    const lastUpdated = new Float64Array(capacity);
    lastUpdated.set(this.lastUpdated);
    const version = new Uint32Array(capacity);
    version.set(this.version);
    const deleted = new Uint8Array(capacity);
    deleted.set(this.deleted);
    this.lastUpdated = lastUpdated;
    this.version = version;
    this.deleted = deleted;
  }
}
