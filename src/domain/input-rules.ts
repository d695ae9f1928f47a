// Rules on typed input shared by the form layer and the use cases behind it, so a
// value refused on a form is refused by the domain too (a script, the CSV import or
// a future API cannot store what a form would not).

/** Years a date typed by staff may have; outside them it is a typo (0026 for 2026). */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

export const yearInWindow = (year: number) => year >= FIRST_YEAR && year <= LAST_YEAR;

/** An absolute http: or https: URL: a javascript:, data: or file: link is never stored. */
export function isWebUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

// C0 control characters other than tab, LF and CR, DEL, and the C1 controls
// (U+0080–U+009F). PostgreSQL cannot store U+0000 in text at all (the driver's error was
// a 500), and none of the others is ever typed: they come from a paste out of a binary
// file or from a script, and a reader's screen, a mail client or a spreadsheet shows them
// as garbage or not at all. A C1 control is also the mark of text decoded the wrong way
// (Windows-1252 quotes and dashes read as Latin-1 become U+0093, U+0094, U+0096), and
// U+0085 (NEL) is a line break to some readers and not to others. Tab, LF and CR are
// kept: multi-line fields (notes, notices) have them.
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex -- the point is to remove control characters
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** The text has a control character no field may hold (see above). */
export const hasControlCharacter = (value: string): boolean => CONTROL_CHARACTER.test(value);

/** The text without those characters: to show a refused value back, or a file's name. */
export const withoutControlCharacters = (value: string): string => value.replace(CONTROL_CHARACTERS, '');
