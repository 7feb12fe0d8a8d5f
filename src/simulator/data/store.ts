import type { CatalogEntity } from '../../types';

/** `appIndex` value of subscription-level records, which belong to no app. */
export const NO_APP = 255;

/** The fields of one record that the light index stores. */
export interface LightRow {
  slot: number;
  id: string;
  /** Index into the simulator's app list, or NO_APP. */
  appIndex: number;
  createdAt: number;
  lastUpdatedAt: number;
  version: number;
}

/**
 * The light index of one entity: a few typed arrays plus the ids, one slot per record ever
 * created. A record's full JSON is generated from its slot and version on demand, so 400,000
 * guides cost 22 bytes of arrays plus one short string each.
 * Deleted records keep their slot with `deleted` set, so slots never move.
 */
export class EntityStore {
  readonly entity: CatalogEntity;
  readonly ids: string[] = [];
  appIndex: Uint8Array;
  createdAt: Float64Array;
  lastUpdatedAt: Float64Array;
  version: Uint32Array;
  deleted: Uint8Array;
  /** Number of slots in use, deleted ones included. */
  size = 0;
  liveCount = 0;
  /** Increases on every change, so caches built from the index can detect that they are stale. */
  revision = 0;

  constructor(entity: CatalogEntity, initialCapacity = 64) {
    this.entity = entity;
    const capacity = Math.max(16, initialCapacity);
    this.appIndex = new Uint8Array(capacity);
    this.createdAt = new Float64Array(capacity);
    this.lastUpdatedAt = new Float64Array(capacity);
    this.version = new Uint32Array(capacity);
    this.deleted = new Uint8Array(capacity);
  }

  /** Adds a record with version 1 and returns its slot. */
  append(id: string, appIndex: number, createdAt: number, lastUpdatedAt: number): number {
    if (this.size === this.appIndex.length) this.grow(this.size * 2);
    const slot = this.size++;
    this.ids.push(id);
    this.appIndex[slot] = appIndex;
    this.createdAt[slot] = createdAt;
    this.lastUpdatedAt[slot] = lastUpdatedAt;
    this.version[slot] = 1;
    this.deleted[slot] = 0;
    this.liveCount++;
    this.revision++;
    return slot;
  }

  /** Bumps the version of a record, so its content changes, and sets its `lastUpdatedAt`. */
  touch(slot: number, lastUpdatedAt: number): void {
    this.version[slot] = (this.version[slot] ?? 0) + 1;
    this.lastUpdatedAt[slot] = lastUpdatedAt;
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

  row(slot: number): LightRow {
    return {
      slot,
      id: this.ids[slot] ?? '',
      appIndex: this.appIndex[slot] ?? NO_APP,
      createdAt: this.createdAt[slot] ?? 0,
      lastUpdatedAt: this.lastUpdatedAt[slot] ?? 0,
      version: this.version[slot] ?? 1,
    };
  }

  /** Returns the slots of records that are not deleted, in creation order. */
  liveSlots(): Uint32Array {
    const slots = new Uint32Array(this.liveCount);
    let next = 0;
    for (let slot = 0; slot < this.size; slot++) {
      if (this.deleted[slot] === 0) slots[next++] = slot;
    }
    return slots;
  }

  /** Returns the live slot of `id`, or -1. A linear scan: lookups by id are rare. */
  findSlot(id: string): number {
    const slot = this.ids.indexOf(id);
    return slot >= 0 && this.isLive(slot) ? slot : -1;
  }

  private grow(capacity: number): void {
    this.appIndex = copyInto(new Uint8Array(capacity), this.appIndex);
    this.createdAt = copyInto(new Float64Array(capacity), this.createdAt);
    this.lastUpdatedAt = copyInto(new Float64Array(capacity), this.lastUpdatedAt);
    this.version = copyInto(new Uint32Array(capacity), this.version);
    this.deleted = copyInto(new Uint8Array(capacity), this.deleted);
  }
}

function copyInto<T extends Uint8Array | Uint32Array | Float64Array>(target: T, source: T): T {
  target.set(source);
  return target;
}
