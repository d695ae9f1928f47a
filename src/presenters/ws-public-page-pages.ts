// Whole-page view models of the staff pages about the public page: its settings
// (publisher, lead, "Help and contacts", their history) and where places are on the
// public map. present…Page(lang, data, permissions, view); the routes only load
// the data and render what these return (docs/contributing.md, "A staff page").
// The forms' fields and values are in ws-public-page.ts.
import type { Permissions } from '../domain/auth/permissions.ts';
import { localDay } from '../domain/calendar.ts';
import type { loadPlaces } from '../domain/staff/reads.ts';
import type { loadPublicPageSettings } from '../domain/staff/public-page.ts';
import { type Lang, localized, t } from '../i18n/index.ts';
import { type Focus, form } from './ws-catalog.ts';
import { invalidBanner, presentSaved } from './ws-form.ts';
import * as W from './ws-public-page.ts';

type Settings = Awaited<ReturnType<typeof loadPublicPageSettings>>;
type Places = Awaited<ReturnType<typeof loadPlaces>>;

/** After a form: 200 shows ?saved=…; 422/409 show the refused form (`focus`). */
export type PageView = { status: number; saved?: unknown; focus?: Focus };

/** The banners every one of these pages starts with. */
const banners = (lang: Lang, view: PageView) => ({
  saved: view.status === 200 ? presentSaved(lang, view.saved) : undefined,
  invalid: invalidBanner(lang, view.focus?.state.errors),
  conflict: view.focus?.conflict,
});

type SettingsData = { settings: Settings; now: Date };

export function presentPublicPageSettingsPage(
  lang: Lang,
  data: SettingsData,
  permissions: Permissions,
  view: PageView,
) {
  const { operation } = data.settings;
  const readOnly = !permissions.administer;
  return {
    title: t(lang, 'ws.public.title', { operation: localized(operation.names, lang) }),
    crumbs: [
      { href: '/staff/operations', label: t(lang, 'ws.operations.title') },
      { href: `/staff/operations/${operation.id}`, label: localized(operation.names, lang) },
    ],
    intro: t(lang, 'ws.public.intro'),
    ...banners(lang, view),
    links: [{ href: `/${lang}/`, label: t(lang, 'ws.public.view') }],
    lists: [contactsList(lang, data.settings, readOnly, view.focus), historyList(lang, data.settings)],
    forms: [
      ...(readOnly ? [] : [newContactForm(lang, data, view.focus)]),
      publisherForm(lang, data.settings, readOnly, view.focus),
    ],
  };
}

/** Each public contact with its own form (read-only below admin). */
function contactsList(lang: Lang, settings: Settings, readOnly: boolean, focus: Focus | undefined) {
  return {
    title: t(lang, 'ws.public.contacts'),
    empty: t(lang, 'ws.public.no_contacts'),
    items: settings.contacts.map((c) => ({
      ...W.contactItem(lang, c),
      form: form(
        lang,
        `contact-${c.id}`,
        {
          action: `/staff/contacts/${c.id}`,
          specs: W.contactFields(lang),
          values: W.contactValues(c),
          version: c.version,
          submit: t(lang, 'ws.save'),
          readOnly,
        },
        focus,
      ),
    })),
  };
}

/** Who changed the public page's settings and contacts, when, and each field's old → new value. */
function historyList(lang: Lang, settings: Settings) {
  return {
    title: t(lang, 'ws.public.history'),
    empty: t(lang, 'ws.public.history_empty'),
    items: W.presentPublicPageHistory(lang, settings).map((h) => ({
      label: h.what,
      lines: [`${h.when} — ${h.who}`],
      changes: h.changes,
    })),
  };
}

/** The publisher's name and address on the public page. */
function publisherForm(lang: Lang, settings: Settings, readOnly: boolean, focus: Focus | undefined) {
  const { operation } = settings;
  return {
    title: t(lang, 'ws.public.publisher'),
    ...form(
      lang,
      'publisher',
      {
        action: `/staff/operations/${operation.id}/publisher`,
        specs: W.publisherFields(lang),
        values: W.publisherValues(operation),
        version: operation.version,
        submit: t(lang, 'ws.save'),
        readOnly,
      },
      focus,
    ),
  };
}

/** A new contact starts as a published hotline, last in the list, checked today. */
function newContactForm(lang: Lang, data: { settings: Settings; now: Date }, focus: Focus | undefined) {
  const { operation, contacts } = data.settings;
  return {
    title: t(lang, 'ws.public.new_contact'),
    ...form(
      lang,
      'contact',
      {
        action: `/staff/operations/${operation.id}/contacts`,
        specs: W.contactFields(lang),
        values: {
          kind: 'hotline',
          published: '1',
          position: String(contacts.length),
          checkedOn: localDay(data.now, operation.timeZone),
        },
        submit: t(lang, 'ws.create'),
      },
      focus,
    ),
  };
}

export function presentPublicMapPage(lang: Lang, places: Places, permissions: Permissions, view: PageView) {
  // Places still without coordinates first: they are what needs doing.
  const sorted = [...places].sort((a, b) => Number(a.latitude !== null) - Number(b.latitude !== null));
  return {
    title: t(lang, 'ws.map.title'),
    intro: t(lang, 'ws.map.intro'),
    ...banners(lang, view),
    links: [{ href: `/${lang}/#map`, label: t(lang, 'ws.public.view') }],
    lists: [
      {
        title: t(lang, 'ws.places.list'),
        empty: t(lang, 'ws.places.empty'),
        items: sorted.map((p) => ({
          label: localized(p.names, lang),
          href: `/staff/places/${p.id}`,
          badge: p.latitude === null ? t(lang, 'ws.map.missing') : undefined,
          badgeClass: 'cancelled',
          lines: [`${p.countryCode} · ${t(lang, `ws.place.kind.${p.kind}`)}`],
          form: form(
            lang,
            `place-${p.id}`,
            {
              action: `/staff/places/${p.id}/coordinates`,
              specs: W.coordinateFields(lang),
              values: W.coordinateValues(p),
              version: p.version,
              submit: t(lang, 'ws.save'),
              readOnly: !permissions.administer,
            },
            view.focus,
          ),
        })),
      },
    ],
  };
}
