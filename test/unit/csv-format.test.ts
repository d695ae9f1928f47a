import { describe, expect, it } from 'vitest';
import { COLUMNS, csvHeader, csvLines, parseCsv, protectCell } from '../../src/domain/csv/format.ts';

const header = COLUMNS.join(',');
const row = (cells: Record<string, string>) => COLUMNS.map((c) => cells[c] ?? '').join(',');

describe('CSV format', () => {
  it('reads what it writes, with a byte-order mark and CRLF', () => {
    const text =
      csvHeader() + csvLines([{ route: 'r', movement: 'Бишкек, автобус "2"', registered_total: '5' }]);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const { rows, errors } = parseCsv(text);
    expect(errors).toEqual([]);
    expect(rows[0]!.cells).toMatchObject({ movement: 'Бишкек, автобус "2"', registered_total: '5' });
    expect(rows[0]!.line).toBe(2);
  });

  it('reads semicolon-separated files from spreadsheets in ru/kk locales', () => {
    const text = `${COLUMNS.join(';')}\n${COLUMNS.map((c) => (c === 'movement_id' ? '7' : '')).join(';')}\n`;
    expect(parseCsv(text).rows[0]!.cells.movement_id).toBe('7');
  });

  it('refuses unknown and missing columns on row 1', () => {
    const text = `${header.replace('registered_total', 'registred_total')}\n${row({ movement_id: '1' })}\n`;
    const { errors } = parseCsv(text);
    expect(errors).toEqual(
      expect.arrayContaining([
        { row: 1, column: 'registred_total', message: 'csv.unknown_column' },
        { row: 1, column: 'registered_total', message: 'csv.missing_column' },
      ]),
    );
  });

  it('takes off the apostrophe that protects formula-like text', () => {
    expect(protectCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(protectCell("it's")).toBe("it's");
    const { rows } = parseCsv(`${header}\n${row({ movement: "'=SUM(A1)", route: 'r' })}\n`);
    expect(rows[0]!.cells.movement).toBe('=SUM(A1)');
  });

  it('names the row of a malformed line', () => {
    const { errors } = parseCsv(`${header}\n${row({ movement_id: '1' })}\n1,2\n`);
    expect(errors).toEqual([{ row: 3, message: 'csv.wrong_cell_count' }]);
  });
});

describe('CSV control characters', () => {
  it('refuse the file, naming each line that has one (U+0000 never reaches a query or the store)', () => {
    const good = row({ movement_id: '1', registered_total: '5' });
    const text = `${header}\r\n${good}\r\n${good.replace('5', '5\u0000')}\r\n${good}\r\n"a\u0007"${good.slice(0)}\r\n`;
    const { rows, errors } = parseCsv(text);
    expect(rows).toEqual([]);
    expect(errors).toEqual([
      { row: 3, message: 'csv.control_character' },
      { row: 5, message: 'csv.control_character' },
    ]);
  });

  it('keeps tabs, CR and LF (quoted multi-line cells, CRLF files)', () => {
    const text = `${header}\r\n${row({ movement_id: '1', reason: '"two\r\nlines\tand a tab"' })}\r\n`;
    const { rows, errors } = parseCsv(text);
    expect(errors).toEqual([]);
    expect(rows[0]!.cells.reason).toBe('two\r\nlines\tand a tab');
  });
});
