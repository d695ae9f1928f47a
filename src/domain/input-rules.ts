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
