import { describe, expect, it } from 'vitest';
import { encodeCopyValue, escapeCopyText } from '../../src/db/copy-text';
import {
  MAX_ID_BYTES,
  mapRecord,
  msToDate,
  requireRecordId,
  serializeRaw,
} from '../../src/db/rows';
import { PendoResponseError } from '../../src/errors';
import { LosslessNumber } from '../../src/pendo/lossless-number';
import { featureRecord, guideRecord, pageRecord, reportRecord } from '../helpers/records';

describe('msToDate', () => {
  it('converts epoch milliseconds', () => {
    expect(msToDate(1_685_320_590_281)?.toISOString()).toBe('2023-05-29T00:36:30.281Z');
  });

  it.each([
    ['zero', 0],
    ['null', null],
    ['undefined', undefined],
    ['NaN', Number.NaN],
    ['infinity', Number.POSITIVE_INFINITY],
    ['a string', '1685320590281'],
    ['out of Date range', 9e15],
  ])('maps %s to null', (_label, value) => {
    expect(msToDate(value)).toBeNull();
  });
});

describe('mapRecord', () => {
  it('maps a guide', () => {
    const row = mapRecord('guides', guideRecord('DHk640QtRoTYNV5u8HsPqywa1Eo'));
    expect(row.id).toBe('DHk640QtRoTYNV5u8HsPqywa1Eo');
    expect(row.app_id).toBe(-323232);
    expect(row.app_ids).toEqual([-323232]);
    expect(row.kind).toBe('Guide');
    expect(row.created_at).toEqual(new Date(1_685_320_590_281));
    expect(row.last_updated_at).toEqual(new Date(1_685_322_552_149));
    expect(row.created_by_user_id).toBe('5415320457969664');
    expect(row.last_updated_by_user_id).toBe('4880924937158656');
    expect(row.state).toBe('_pendingReview_');
    expect(row.launch_method).toBe('auto');
    expect(row.is_multi_step).toBe(false);
    expect(row.is_training).toBe(false);
    expect(row.step_count).toBe(1);
    expect(row.expires_at).toEqual(new Date(1_761_861_600_000));
  });

  it('maps 0 times of a guide to null', () => {
    const row = mapRecord('guides', guideRecord('g1'));
    expect(row.published_at).toBeNull();
    expect(row.reset_at).toBeNull();
  });

  it('maps missing guide fields to null', () => {
    const row = mapRecord('guides', { id: 'bare' });
    for (const column of Object.keys(row).filter((name) => name !== 'id' && name !== 'raw')) {
      expect(row[column], column).toBeNull();
    }
    expect(row.raw).toBe('{"id":"bare"}');
  });

  it('counts guide polls', () => {
    const row = mapRecord('guides', guideRecord('g1', { polls: [{ id: 'a' }, { id: 'b' }] }));
    expect(row.poll_count).toBe(2);
  });

  it('maps a feature', () => {
    const row = mapRecord('features', featureRecord('f1', { appWide: true }));
    expect(row.group_id).toBe('Wgt0R6wAsWPgeUdma0Y6M3APsxs');
    expect(row.group_name).toBe('Reporting / Insights');
    expect(row.page_id).toBe('FRjso4qGCLr3K9kkkzq4xOm-eLQ');
    expect(row.app_wide).toBe(true);
    expect(row.is_core_event).toBe(false);
  });

  it('maps a page', () => {
    const row = mapRecord('pages', pageRecord('p1'));
    expect(row.group_id).toBe('ZHcbMOL2I-K5WW23KijhW_bqyZ8');
    expect(row.group_name).toBe('3PL');
    expect(row.is_core_event).toBe(true);
    expect(row.rule_count).toBe(2);
  });

  it('maps a page whose group is null', () => {
    const row = mapRecord('pages', pageRecord('p1', { group: null }));
    expect(row.group_id).toBeNull();
    expect(row.group_name).toBeNull();
  });

  it('maps a report without app id', () => {
    const row = mapRecord('reports', reportRecord('-AsTA2Rjbf2Z4MeGdfhWLaRVri4'));
    expect(row.id).toBe('-AsTA2Rjbf2Z4MeGdfhWLaRVri4');
    expect(row.app_id).toBeNull();
    expect(row.app_ids).toBeNull();
    expect(row.report_type).toBe('Path');
    expect(row.shared).toBe(true);
    expect(row.scope).toBe('');
    expect(row.level).toBe('');
    expect(row.owned_by_user_id).toBeNull();
    expect(row.last_run_at).toEqual(new Date(1_760_055_167_706));
    expect(row.last_success_run_at).toBeNull();
  });

  it('maps a track type', () => {
    const row = mapRecord('track_types', {
      id: 't1',
      kind: 'TrackType',
      trackTypeName: 'Checkout Completed',
      group: { id: 'g', name: 'Commerce' },
      isCoreEvent: true,
    });
    expect(row.track_type_name).toBe('Checkout Completed');
    expect(row.group_id).toBe('g');
    expect(row.group_name).toBe('Commerce');
    expect(row.is_core_event).toBe(true);
  });

  it('maps a segment', () => {
    const row = mapRecord('segments', { id: 's1', createdByApi: true, isFocusGroup: false });
    expect(row.created_by_api).toBe(true);
    expect(row.is_focus_group).toBe(false);
  });

  it('maps fields of the wrong type to null', () => {
    const row = mapRecord('guides', {
      id: 'g',
      appId: 'not a number',
      appIds: [1, 'x', 2.5, 3],
      name: 42,
      isMultiStep: 'yes',
      steps: {},
      createdAt: '2024-01-01',
    });
    expect(row.app_id).toBeNull();
    expect(row.app_ids).toEqual([1, 3]);
    expect(row.name).toBeNull();
    expect(row.is_multi_step).toBeNull();
    expect(row.step_count).toBeNull();
    expect(row.created_at).toBeNull();
  });

  it('keeps a large positive app id exactly', () => {
    const row = mapRecord('features', featureRecord('f', { appId: 6_253_630_842_798_080 }));
    expect(row.app_id).toBe(6_253_630_842_798_080);
  });
});

describe('requireRecordId', () => {
  it('rejects a record without id', () => {
    expect(() => requireRecordId('features', { name: 'Orphan feature' })).toThrow(
      PendoResponseError,
    );
    expect(() => requireRecordId('features', { name: 'Orphan feature' })).toThrow(
      /Invalid features record: "id" must be a non-empty string, got undefined in \{"name":"Orphan feature"\}/,
    );
  });

  it('rejects a numeric id', () => {
    expect(() => requireRecordId('guides', { id: 12 })).toThrow(/Invalid guides record.*got 12/);
  });

  it('rejects an empty id', () => {
    expect(() => requireRecordId('pages', { id: '' })).toThrow(/Invalid pages record/);
  });

  it('rejects a non-object record', () => {
    expect(() => requireRecordId('reports', ['a'])).toThrow(/expected a JSON object, got \["a"\]/);
  });

  it('rejects U+0000 in an id', () => {
    expect(() => requireRecordId('guides', { id: 'a\u0000b' })).toThrow(
      'Invalid guides record: "id" "a\\u0000b" contains U+0000 or a lone surrogate',
    );
  });

  it('rejects a lone surrogate in an id', () => {
    expect(() => requireRecordId('visitors', { visitorId: 'v\udc00' })).toThrow(
      '"visitorId" "v\\udc00" contains U+0000 or a lone surrogate',
    );
  });

  it('accepts a surrogate pair in an id', () => {
    expect(requireRecordId('guides', { id: 'emoji 😀' })).toBe('emoji 😀');
  });

  it('rejects an id over MAX_ID_BYTES', () => {
    expect(requireRecordId('pages', { id: 'é'.repeat(MAX_ID_BYTES / 2) })).toHaveLength(1000);
    expect(() => requireRecordId('pages', { id: 'é'.repeat(MAX_ID_BYTES / 2 + 1) })).toThrow(
      '"id" is 2002 bytes long, more than the 2000 bytes',
    );
  });

  it('cuts the snippet of a large record', () => {
    const error = (() => {
      try {
        requireRecordId('guides', { name: 'x'.repeat(5000) });
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error?.message.length).toBeLessThan(500);
    expect(error?.message).toContain('…');
  });
});

describe('serializeRaw', () => {
  it('replaces U+0000 with U+FFFD', () => {
    expect(serializeRaw({ id: 'a', name: 'x\u0000y' })).toBe('{"id":"a","name":"x\\ufffdy"}');
  });

  it('replaces lone surrogates with U+FFFD', () => {
    expect(serializeRaw({ name: 'a\uD800b\uDFFFc' })).toBe('{"name":"a\\ufffdb\\ufffdc"}');
  });

  it('keeps surrogate pairs', () => {
    expect(serializeRaw({ name: 'emoji 🚀' })).toBe('{"name":"emoji 🚀"}');
  });

  it('keeps an escaped backslash before ud800', () => {
    expect(JSON.parse(serializeRaw({ name: '\\ud800' }))).toEqual({ name: '\\ud800' });
  });

  it('keeps an escaped backslash before u0000', () => {
    const json = serializeRaw({ name: '\\u0000' });
    expect(JSON.parse(json)).toEqual({ name: '\\u0000' });
  });
});

describe('COPY text encoding', () => {
  it('escapes backslash, tab, newline and carriage return', () => {
    expect(escapeCopyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
  });

  it('leaves plain text unchanged', () => {
    expect(escapeCopyText('Guide "Ünïcödé" 🚀')).toBe('Guide "Ünïcödé" 🚀');
  });

  it('encodes null as \\N', () => {
    expect(encodeCopyValue(null, 'text')).toBe('\\N');
  });

  it('encodes a literal \\N string as text', () => {
    expect(encodeCopyValue('\\N', 'text')).toBe('\\\\N');
  });

  it('encodes booleans, arrays and dates', () => {
    expect(encodeCopyValue(true, 'boolean')).toBe('t');
    expect(encodeCopyValue(false, 'boolean')).toBe('f');
    expect(encodeCopyValue([-323232, 6_253_630_842_798_080], 'bigint[]')).toBe(
      '{-323232,6253630842798080}',
    );
    expect(encodeCopyValue([], 'bigint[]')).toBe('{}');
    expect(encodeCopyValue(new Date(0), 'timestamptz')).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('integers beyond 2^53', () => {
  const exact = (text: string): LosslessNumber => new LosslessNumber(text);

  it('maps a bigint-range app id exactly', () => {
    const row = mapRecord('guides', {
      id: 'g',
      appId: exact('9007199254740993'),
      appIds: [exact('-9223372036854775808'), -323232, exact('9223372036854775808'), 'x'],
    });
    expect(row.app_id).toBe(9007199254740993n);
    expect(row.app_ids).toEqual([-9223372036854775808n, -323232]);
  });

  it('maps integers beyond bigint to null', () => {
    const row = mapRecord('guides', { id: 'g', appId: exact('123456789012345678901234567890') });
    expect(row.app_id).toBeNull();
  });

  it('maps an exact double beyond 2^53', () => {
    expect(mapRecord('guides', { id: 'g', appId: 2 ** 53 }).app_id).toBe(9007199254740992n);
    expect(mapRecord('guides', { id: 'g', appId: 1e300 }).app_id).toBeNull();
  });

  it('maps strings of up to 19 digits', () => {
    expect(mapRecord('guides', { id: 'g', appId: '9007199254740993' }).app_id).toBe(
      9007199254740993n,
    );
    expect(mapRecord('guides', { id: 'g', appId: '-42' }).app_id).toBe(-42);
    expect(mapRecord('guides', { id: 'g', appId: '99999999999999999999' }).app_id).toBeNull();
  });

  it('keeps the digits of a numeric user id', () => {
    const row = mapRecord('guides', { id: 'g', createdByUser: { id: exact('9007199254740993') } });
    expect(row.created_by_user_id).toBe('9007199254740993');
  });

  it('maps a huge time to null', () => {
    const row = mapRecord('guides', { id: 'g', createdAt: exact('9007199254740993') });
    expect(row.created_at).toBeNull();
  });

  it('serializes raw with every digit', () => {
    const record = { id: 'g', big: exact('123456789012345678901234567890'), nul: 'a\u0000' };
    expect(serializeRaw(record)).toBe(
      '{"id":"g","big":123456789012345678901234567890,"nul":"a\\ufffd"}',
    );
  });

  it('serializes visitor metadata with every digit', () => {
    const row = mapRecord('visitors', {
      visitorId: 'v',
      metadata: { custom: { seats: exact('9007199254740993'), name: 'x\u0000' } },
    });
    expect(row.metadata).toBe('{"custom":{"seats":9007199254740993,"name":"x\\ufffd"}}');
  });

  it('encodes BigInt columns for COPY', () => {
    expect(encodeCopyValue(9007199254740993n, 'bigint')).toBe('9007199254740993');
    expect(encodeCopyValue([9007199254740993n, -1], 'bigint[]')).toBe('{9007199254740993,-1}');
  });
});
