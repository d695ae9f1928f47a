// Staff forms of what the public page says about itself: the publisher and lead,
// "Help and contacts" items, place coordinates; and their history.
import { type LocalizedText } from '../../db/schema.ts';
import { CONTACT_KINDS } from '../domain/vocabulary.ts';
import type { loadPublicPageSettings } from '../domain/staff/public-page.ts';
import { type Lang, localized, t } from '../i18n/index.ts';
import type { ContactRow } from '../store/repositories/contacts.ts';
import type { PlaceRow } from '../store/repositories/catalog.ts';
import { auditChanges } from './audit-changes.ts';
import { formatDateTime, formatDay } from './format.ts';
import { type FieldSpec, bool, options, str } from './ws-form.ts';

type Settings = Awaited<ReturnType<typeof loadPublicPageSettings>>;

const three = (lang: Lang, prefix: string, label: string, kind?: FieldSpec['kind']): FieldSpec[] =>
  (['en', 'ru', 'kk'] as const).map((l) => ({
    name: `${prefix}_${l}`,
    label: t(lang, 'ws.public.in_language', { label, language: t(lang, `ws.public.language.${l}`) }),
    kind,
  }));
const threeValues = (text: LocalizedText | null, prefix: string) => ({
  [`${prefix}_en`]: text?.en ?? '',
  [`${prefix}_ru`]: text?.ru ?? '',
  [`${prefix}_kk`]: text?.kk ?? '',
});

export const publisherFields = (lang: Lang): FieldSpec[] => [
  ...three(lang, 'authority', t(lang, 'ws.public.authority')),
  { name: 'authorityUrl', label: t(lang, 'ws.public.authority_url'), kind: 'url', hint: 'https://…' },
  ...three(lang, 'lead', t(lang, 'ws.public.lead'), 'textarea'),
];
export const publisherValues = (o: Settings['operation']) => ({
  ...threeValues(o.authority, 'authority'),
  authorityUrl: str(o.authorityUrl),
  ...threeValues(o.publicLead, 'lead'),
});

export const contactFields = (lang: Lang): FieldSpec[] => [
  {
    name: 'kind',
    label: t(lang, 'ws.contact.kind'),
    kind: 'select',
    options: options(lang, 'contact.kind.', CONTACT_KINDS),
  },
  ...three(lang, 'name', t(lang, 'ws.contact.name')),
  { name: 'phone', label: t(lang, 'ws.contact.phone'), hint: '+7 7172 00 00 00' },
  { name: 'email', label: t(lang, 'ws.contact.email') },
  { name: 'url', label: t(lang, 'ws.contact.url'), kind: 'url', hint: t(lang, 'ws.contact.url_hint') },
  { name: 'countryCode', label: t(lang, 'ws.contact.country'), hint: t(lang, 'ws.contact.country_hint') },
  ...three(lang, 'hours', t(lang, 'ws.contact.hours')),
  ...three(lang, 'address', t(lang, 'ws.contact.address')),
  { name: 'checkedOn', label: t(lang, 'ws.contact.checked_on'), kind: 'date' },
  { name: 'position', label: t(lang, 'ws.contact.position'), kind: 'number' },
  { name: 'published', label: t(lang, 'ws.contact.published'), kind: 'checkbox' },
];
export const contactValues = (c: ContactRow) => ({
  kind: c.kind,
  ...threeValues(c.names, 'name'),
  phone: str(c.phone),
  email: str(c.email),
  url: str(c.url),
  countryCode: str(c.countryCode),
  ...threeValues(c.hours, 'hours'),
  ...threeValues(c.address, 'address'),
  checkedOn: c.checkedOn,
  position: str(c.position),
  published: bool(c.withdrawnAt === null),
});

export function contactItem(lang: Lang, c: ContactRow) {
  return {
    label: localized(c.names, lang),
    badge: c.withdrawnAt ? t(lang, 'ws.contact.withdrawn') : t(lang, `contact.kind.${c.kind}`),
    badgeClass: c.withdrawnAt ? 'cancelled' : 'departed',
    lines: [
      [c.phone, c.email, c.url].filter(Boolean).join(' · '),
      t(lang, 'help.checked_on', { date: formatDay(lang, c.checkedOn) }),
    ],
  };
}

export const coordinateFields = (lang: Lang): FieldSpec[] => [
  { name: 'latitude', label: t(lang, 'ws.place.latitude'), hint: t(lang, 'ws.place.latitude_hint') },
  { name: 'longitude', label: t(lang, 'ws.place.longitude'), hint: t(lang, 'ws.place.longitude_hint') },
];
export const coordinateValues = (p: PlaceRow) => ({ latitude: str(p.latitude), longitude: str(p.longitude) });

/** "3 March 2026, 14:02 — Aigerim N. — contact edited: Consular hotline", then each change. */
export function presentPublicPageHistory(lang: Lang, s: Settings) {
  const names = new Map(s.contacts.map((c) => [c.id, localized(c.names, lang)]));
  const labels = auditLabels(lang);
  return s.history.map((e) => ({
    when: formatDateTime(lang, e.createdAt, s.operation.timeZone),
    who: e.actorLabel,
    what: t(lang, `ws.public.audit.${e.entity}.${e.action}`, {
      item: e.entity === 'contact' ? (names.get(e.entityId) ?? `#${e.entityId}`) : '',
    }),
    changes: auditChanges(lang, e.before, e.after, labels),
  }));
}

/** The audited columns of contacts and the publisher, named as their form names them. */
const auditLabels = (lang: Lang): Record<string, string> => ({
  kind: t(lang, 'ws.contact.kind'),
  names: t(lang, 'ws.contact.name'),
  phone: t(lang, 'ws.contact.phone'),
  email: t(lang, 'ws.contact.email'),
  url: t(lang, 'ws.contact.url'),
  countryCode: t(lang, 'ws.contact.country'),
  hours: t(lang, 'ws.contact.hours'),
  address: t(lang, 'ws.contact.address'),
  checkedOn: t(lang, 'ws.contact.checked_on'),
  position: t(lang, 'ws.contact.position'),
  withdrawnAt: t(lang, 'ws.contact.published'),
  authority: t(lang, 'ws.public.authority'),
  authorityUrl: t(lang, 'ws.public.authority_url'),
  publicLead: t(lang, 'ws.public.lead'),
});
