// Whole-page view models of the places pages (the list with its "new place" form,
// and one place): present…Page(lang, data, permissions, view). The routes
// (routes/staff/places.ts) only load the data and render what these return.
import type { Permissions } from '../domain/auth/permissions.ts';
import type { loadPlace, loadPlaces } from '../domain/staff/reads.ts';
import { type Lang, localized, t } from '../i18n/index.ts';
import { type Focus, form, placeFields, placeValues } from './ws-catalog.ts';
import { invalidBanner, presentSaved } from './ws-form.ts';
import { presentRecordPage } from './ws-record-page.ts';

/** After a form: 200 shows ?saved=…; 422/409 show the refused form (`focus`). */
export type PageView = { status: number; saved?: unknown; focus?: Focus };

export function presentPlacesPage(
  lang: Lang,
  places: Awaited<ReturnType<typeof loadPlaces>>,
  permissions: Permissions,
  view: PageView,
) {
  const newPlace = form(
    lang,
    'new',
    {
      action: '/staff/places',
      specs: placeFields(lang),
      values: { kind: 'city' },
      submit: t(lang, 'ws.create'),
    },
    view.focus,
  );
  return {
    title: t(lang, 'ws.places.title'),
    saved: view.status === 200 ? presentSaved(lang, view.saved) : undefined,
    invalid: invalidBanner(lang, view.focus?.state.errors),
    forms: permissions.administer ? [{ title: t(lang, 'ws.places.new'), ...newPlace }] : [],
    lists: [
      {
        title: t(lang, 'ws.places.list'),
        empty: t(lang, 'ws.places.empty'),
        items: places.map((p) => ({
          label: localized(p.names, lang),
          href: `/staff/places/${p.id}`,
          lines: [`${p.slug} · ${p.countryCode} · ${t(lang, `ws.place.kind.${p.kind}`)}`],
        })),
      },
    ],
  };
}

export function presentPlacePage(
  lang: Lang,
  place: Awaited<ReturnType<typeof loadPlace>>,
  permissions: Permissions,
  view: PageView,
) {
  return presentRecordPage(lang, {
    title: localized(place.names, lang),
    crumbs: [{ href: '/staff/places', label: t(lang, 'ws.places.title') }],
    saved: view.status === 200 ? presentSaved(lang, view.saved) : undefined,
    focus: view.focus,
    form: {
      key: 'place',
      action: `/staff/places/${place.id}`,
      specs: placeFields(lang),
      values: placeValues(place),
      version: place.version,
      canEdit: permissions.administer,
    },
  });
}
