/** Cell text that stands for a missing number, such as a count Pendo did not return. */
const MISSING = '-';

/**
 * Formats rows as a plain-text table. A column whose cells are all numbers, or numbers and
 * `-` for missing ones, is right-aligned.
 */
export function formatTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [
    headers,
    ...rows.map((row) =>
      row.map((cell) => (typeof cell === 'number' ? cell.toLocaleString('en-US') : cell)),
    ),
  ];
  const widths = headers.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? '').length)),
  );
  const numeric = headers.map(
    (_, column) =>
      rows.some((row) => typeof row[column] === 'number') &&
      rows.every((row) => typeof row[column] === 'number' || row[column] === MISSING),
  );
  return cells
    .map((row) =>
      row
        .map((cell, column) =>
          numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Formats a time as UTC to the second, `2026-11-01 04:00:00Z`; `-` when there is none. */
export function formatTime(value: Date | null | undefined): string {
  return value
    ? value
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
    : '-';
}
