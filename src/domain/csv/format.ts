// The CSV format of movement figures (documented in docs/csv-format.md).
// One row per movement; blank figure = not reported; the label per language last.
import { parse } from 'csv-parse/sync';
import { FIELDS, STAGES, type Field, type Stage } from '../figures.ts';
import { type Lang, LANGUAGES } from '../../i18n/languages.ts';
import { hasControlCharacter } from '../input-rules.ts';

const snake = (field: Field) => (field === 'womenChildren' ? 'women_children' : field);
export const figureColumn = (stage: Stage, field: Field) => `${stage}_${snake(field)}`;

export const FIGURE_COLUMNS = STAGES.flatMap((stage) =>
  FIELDS.map((field) => ({ stage, field, name: figureColumn(stage, field) })),
);
export const ID_COLUMNS = ['operation', 'route', 'movement', 'movement_id', 'version'] as const;
export const TRAILING_COLUMNS = ['source', 'reason'] as const;
/** The movement's label per language (./labels.ts); last, so the older columns keep their places. */
export const labelColumn = (lang: Lang) => `label_${lang}`;
export const LABEL_COLUMNS = LANGUAGES.map(labelColumn);
export const COLUMNS = [
  ...ID_COLUMNS,
  ...FIGURE_COLUMNS.map((c) => c.name),
  ...TRAILING_COLUMNS,
  ...LABEL_COLUMNS,
];

export const MAX_ROWS = 20_000;

export type CsvRow = { line: number; cells: Record<string, string> };
export type CsvError = {
  row: number;
  column?: string;
  message: string;
  vars?: Record<string, string | number>;
};
export type ParsedCsv = { rows: CsvRow[]; errors: CsvError[] };

// A spreadsheet runs a cell starting with = + - @ as a formula; the export
// prefixes such text with an apostrophe and the import takes it off again.
const FORMULA = /^[=+\-@\t\r]/;
export const protectCell = (value: string) => (FORMULA.test(value) ? `'${value}` : value);
const unprotectCell = (value: string) =>
  value.startsWith("'") && FORMULA.test(value.slice(1)) ? value.slice(1) : value;

function quote(value: string): string {
  return /[",\r\n;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The file's start: a UTF-8 byte-order mark, so spreadsheets read Cyrillic right, and the header line. */
export const csvHeader = (): string => `\uFEFF${COLUMNS.join(',')}\r\n`;

/** Rows as lines, each ended by CRLF: what follows the header, one batch at a time. */
export const csvLines = (rows: Record<string, string>[]): string =>
  rows.map((r) => `${COLUMNS.map((c) => quote(r[c] ?? '')).join(',')}\r\n`).join('');

/**
 * The lines (1-based) that have a control character no form field may hold
 * (input-rules.ts), at most `max`: a cell with U+0000 reached the database as a source
 * slug to look up (a 500), and the file itself is stored for the apply.
 */
function controlCharacterLines(text: string, max = 20): CsvError[] {
  if (!hasControlCharacter(text)) return [];
  const errors: CsvError[] = [];
  // Lines as a spreadsheet numbers them: CRLF, LF, or CR alone (an old Mac "CSV" file).
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length && errors.length < max; i++)
    if (hasControlCharacter(lines[i]!)) errors.push({ row: i + 1, message: 'csv.control_character' });
  return errors;
}

/**
 * A UTF-16 file without its byte-order mark ("Unicode text" from a spreadsheet) is valid
 * UTF-8 byte for byte, with a NUL beside every ASCII character: its lines would each be
 * refused for a control character, when the fault is the file's encoding. (With the mark
 * it is not UTF-8 at all.) A UTF-8 file has a NUL only where a cell does.
 */
export function looksUtf16(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 1024);
  let nul = 0;
  for (const byte of head) if (byte === 0) nul++;
  return head.length >= 4 && nul * 4 >= head.length;
}

/** Read the file; comma or semicolon (spreadsheets in ru/kk locales save with ";"). */
export function parseCsv(content: string): ParsedCsv {
  const text = content.replace(/^\uFEFF/, '');
  const controls = controlCharacterLines(text);
  if (controls.length) return { rows: [], errors: controls };
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    return { rows: [], errors: [{ row: line, message: 'csv.unreadable' }] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], errors: [{ row: 1, message: 'csv.empty' }] };
  const names = header.record.map((h) => h.trim().toLowerCase());
  const errors: CsvError[] = [];
  for (const name of names)
    if (!COLUMNS.includes(name)) errors.push({ row: 1, column: name, message: 'csv.unknown_column' });
  for (const { name } of FIGURE_COLUMNS)
    if (!names.includes(name)) errors.push({ row: 1, column: name, message: 'csv.missing_column' });
  if (!names.includes('movement_id') && !(names.includes('route') && names.includes('movement')))
    errors.push({ row: 1, column: 'movement_id', message: 'csv.missing_key' });
  if (new Set(names).size !== names.length) errors.push({ row: 1, message: 'csv.duplicate_column' });
  if (body.length > MAX_ROWS) errors.push({ row: 1, message: 'csv.too_many_rows', vars: { max: MAX_ROWS } });
  if (body.length === 0) errors.push({ row: 1, message: 'csv.no_rows' });
  if (errors.length) return { rows: [], errors };
  const rows = body.map(({ record, info }) => {
    if (record.length !== names.length) errors.push({ row: info.lines, message: 'csv.wrong_cell_count' });
    const cells: Record<string, string> = {};
    names.forEach((name, i) => (cells[name] = unprotectCell(record[i] ?? '')));
    return { line: info.lines, cells };
  });
  return { rows, errors };
}
