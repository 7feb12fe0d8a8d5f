import type { PendoRecord } from '../../types';

/**
 * Records that tests put in place of generated ones (`Simulator.putRecord`), by entity and
 * slot. A record given as JSON text is served as that text byte for byte, so it can carry
 * values a JavaScript object cannot, such as 9007199254740993.
 */
export class RecordOverrides {
  private readonly records = new Map<string, Map<number, PendoRecord>>();
  private readonly texts = new WeakMap<PendoRecord, string>();

  /** Stores `record` for a slot; `text`, when given, is the JSON sent for it. */
  set(entity: string, slot: number, record: PendoRecord, text?: string): void {
    let bySlot = this.records.get(entity);
    if (!bySlot) {
      bySlot = new Map();
      this.records.set(entity, bySlot);
    }
    bySlot.set(slot, record);
    if (text !== undefined) this.texts.set(record, text);
  }

  /** Returns the record put for a slot, or undefined for a generated one. */
  get(entity: string, slot: number): PendoRecord | undefined {
    return this.records.get(entity)?.get(slot);
  }

  /**
   * Returns the JSON to send for a record: the text it was put as, or JSON.stringify of it.
   * A record changed by an aggregation stage such as `select` is a new object and is
   * serialized by JSON.stringify.
   */
  jsonOf(record: PendoRecord): string {
    return this.texts.get(record) ?? JSON.stringify(record);
  }
}
