import { describe, expect, it } from 'vitest';
import {
  COLUMNS,
  csvHeader,
  csvLines,
  looksUtf16,
  parseCsv,
  protectCell,
} from '../../src/domain/csv/format.ts';

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

  it('refuse DEL and the C1 controls too (quotes from Windows-1252 read as Latin-1)', () => {
    const good = row({ movement_id: '1', registered_total: '5' });
    const quoted = row({ movement_id: '1', reason: '\u0093Bus\u0094' });
    const text = `${header}\r\n${good}\r\n${quoted}\r\n${good.replace('5', '5\u007f')}\r\n`;
    expect(parseCsv(text).errors).toEqual([
      { row: 3, message: 'csv.control_character' },
      { row: 4, message: 'csv.control_character' },
    ]);
    expect(
      parseCsv(`${header}\r\n${row({ movement_id: '1', reason: '“Автобус” — Әуежай' })}\r\n`).errors,
    ).toEqual([]);
  });

  it('keeps tabs, CR and LF (quoted multi-line cells, CRLF files)', () => {
    const text = `${header}\r\n${row({ movement_id: '1', reason: '"two\r\nlines\tand a tab"' })}\r\n`;
    const { rows, errors } = parseCsv(text);
    expect(errors).toEqual([]);
    expect(rows[0]!.cells.reason).toBe('two\r\nlines\tand a tab');
  });

  it('names the line of a control character in a file whose lines end in CR alone', () => {
    const good = row({ movement_id: '1', registered_total: '5' });
    const text = `${header}\r${good}\r${good}\r${good.replace('5', '5\u0000')}\r`;
    expect(parseCsv(text).errors).toEqual([{ row: 4, message: 'csv.control_character' }]);
    // and such a file is read as lines, as LF and CRLF files are
    const clean = parseCsv(`${header}\r${good}\r${good.replace('1', '2')}\r`);
    expect(clean.errors).toEqual([]);
    expect(clean.rows.map((r) => [r.line, r.cells.movement_id])).toEqual([
      [2, '1'],
      [3, '2'],
    ]);
  });
});

describe('a UTF-16 file', () => {
  const text = csvHeader() + csvLines([{ movement_id: '1', registered_total: '5', reason: 'Опечатка' }]);
  it('without its byte-order mark is told from UTF-8 (a NUL beside every ASCII byte)', () => {
    expect(looksUtf16(Buffer.from(text.slice(1), 'utf16le'))).toBe(true);
    expect(looksUtf16(Buffer.from(text.slice(1), 'utf16le').swap16())).toBe(true); // big-endian
    expect(looksUtf16(Buffer.from(text, 'utf8'))).toBe(false);
    // A UTF-8 file with a NUL in one cell is that cell's fault, named by its line.
    expect(looksUtf16(Buffer.from(text.replace('Опечатка', 'a\u0000b'), 'utf8'))).toBe(false);
    expect(looksUtf16(Buffer.from(''))).toBe(false);
  });
});
