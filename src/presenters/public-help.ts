// "Help and contacts": the registration link first, then hotlines and messengers,
// then embassies and consulates grouped by country (countries on the routes first).
// Each item says when a person last checked it. Nothing is shown that staff did not
// enter: no contacts, no block.
import type { PublicContact, PublicOperation } from '../domain/privacy.ts';
import { type Lang, localeOf, t } from '../i18n/index.ts';
import { formatDay } from './format.ts';
import { localizedPart, optionalPart } from './localized-part.ts';

const regionNames = new Map<Lang, Intl.DisplayNames>();

/** A country's name in the reader's language (ISO 3166-1 alpha-2). */
export function countryName(lang: Lang, code: string): string {
  let names = regionNames.get(lang);
  if (!names) {
    names = new Intl.DisplayNames([localeOf(lang)], { type: 'region', fallback: 'code' });
    regionNames.set(lang, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

export function presentHelp(op: PublicOperation, lang: Lang) {
  if (op.contacts.length === 0) return null;
  const item = (c: PublicContact) => ({
    id: `contact-${c.id}`,
    name: localizedPart(c.names, lang),
    kind: t(lang, `contact.kind.${c.kind}`),
    phone: c.phone ? { text: c.phone, href: `tel:${c.phone.replace(/[^0-9+]/g, '')}` } : null,
    email: c.email ? { text: c.email, href: `mailto:${c.email}` } : null,
    url: c.url ? { text: shortUrl(c.url), href: c.url } : null,
    hours: optionalPart(c.hours, lang),
    address: optionalPart(c.address, lang),
    checked: t(lang, 'help.checked_on', { date: formatDay(lang, c.checkedOn) }),
    checkedIso: c.checkedOn,
  });
  const register = op.contacts.filter((c) => c.kind === 'registration');
  const lines = op.contacts.filter((c) => ['hotline', 'messenger', 'email'].includes(c.kind));
  const missions = op.contacts.filter((c) => c.kind === 'embassy' || c.kind === 'consulate');
  // Countries in the order the routes reach them, then any others by name.
  const onRoutes = op.routes.flatMap((r) => r.legs.flatMap((l) => [l.from.countryCode, l.to.countryCode]));
  const rank = (code: string) => {
    const i = onRoutes.indexOf(code);
    return i < 0 ? onRoutes.length : i;
  };
  const countries = [...new Set(missions.map((c) => c.countryCode!))].sort(
    (a, b) => rank(a) - rank(b) || countryName(lang, a).localeCompare(countryName(lang, b), localeOf(lang)),
  );
  return {
    register: register.map(item),
    lines: lines.map(item),
    missions: countries.map((code) => ({
      country: countryName(lang, code),
      items: missions.filter((c) => c.countryCode === code).map(item),
    })),
  };
}

/** "mfa.gov.kz/en/register" for a link's text; the full address stays in href. */
function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
    const text = `${u.host.replace(/^www\./, '')}${path}`;
    return text.length > 48 ? `${text.slice(0, 47)}…` : text;
  } catch {
    return url;
  }
}
