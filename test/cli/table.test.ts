import { describe, expect, it } from 'vitest';
import { formatTable } from '../../src/cli/table';
import { TerminalProgress } from '../../src/sync/progress';

describe('formatTable', () => {
  it('right-aligns numbers with missing values', () => {
    const table = formatTable(
      ['stream', 'pendo events'],
      [
        ['events', 1234],
        ['page_events', '-'],
      ],
    );
    expect(table.split('\n')).toEqual([
      'stream       pendo events',
      'events              1,234',
      'page_events             -',
    ]);
  });

  it('left-aligns a column without numbers', () => {
    const table = formatTable(['name', 'cursor'], [['guides', '-']]);
    expect(table.split('\n')[1]).toBe('guides  -');
  });
});

describe('TerminalProgress', () => {
  it('aligns the feature_events pass', () => {
    let written = '';
    const stream = {
      write: (text: string) => {
        written += text;
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    const progress = new TerminalProgress(stream);
    progress.start('guides', 'records', 'full', 10);
    progress.start('feature_events', 'windows', 'incremental', 10);
    progress.close();
    const escapeCodes = new RegExp(`${String.fromCharCode(27)}\\[\\d*[AK]`, 'g');
    const rows = written.replace(escapeCodes, '').split('\n').filter(Boolean).slice(-2);
    expect(rows[0]?.indexOf('records')).toBe(rows[1]?.indexOf('windows'));
  });
});
