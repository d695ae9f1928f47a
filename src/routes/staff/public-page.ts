// What the public page says about itself, per operation (admin edits, everyone
// reads): the publisher and its site, the short lead above the summary, the
// "Help and contacts" items; and where places are on the public map.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { CONTACT_KINDS } from '../../domain/vocabulary.ts';
import type { AppDeps } from '../../deps.ts';
import { localDay } from '../../domain/calendar.ts';
import { validationError } from '../../errors.ts';
import {
  type ContactInput,
  createContact,
  editContact,
  editPublisher,
  loadContact,
  loadPublicPageSettings,
  setPlaceCoordinates,
} from '../../domain/staff/public-page.ts';
import { loadPlace, loadPlaces } from '../../domain/staff/reads.ts';
import { type Lang, localized, t } from '../../i18n/index.ts';
import * as P from '../../presenters/ws-catalog.ts';
import { invalidBanner } from '../../presenters/ws-form.ts';
import * as W from '../../presenters/ws-public-page.ts';
import { hasRole, staffRoute } from './define.ts';
import { actorOf, f, idParam, parseForm } from './forms.ts';
import { savedMessage } from './movements.ts';
import { renderStaff } from './render.ts';
import { submit } from './submit.ts';

const three = (prefix: string, max: number, required = false) => ({
  [`${prefix}_en`]: required ? f.text(max) : f.optionalText(max),
  [`${prefix}_ru`]: f.optionalText(max),
  [`${prefix}_kk`]: f.optionalText(max),
});
/** The three language fields as one text; all blank → null; English is required once any is set. */
function localizedOf(form: Record<string, unknown>, prefix: string, field: string) {
  const [en, ru, kk] = (['en', 'ru', 'kk'] as const).map((l) => form[`${prefix}_${l}`] as string | null);
  if (!en && !ru && !kk) return null;
  if (!en) throw validationError({ [`${prefix}_en`]: 'field.required' }, `${field}: English is required`);
  return { en, ...(ru ? { ru } : {}), ...(kk ? { kk } : {}) };
}

const publisherForm = z.object({
  ...three('authority', 300),
  authorityUrl: f.optionalText(2000),
  ...three('lead', 600),
  version: f.int(1),
});
const contactForm = z.object({
  kind: f.oneOf(CONTACT_KINDS),
  ...three('name', 300, true),
  phone: f.optionalText(40),
  email: f.optionalText(254),
  url: f.optionalText(2000),
  countryCode: f.optionalText(2).pipe(
    z
      .string()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'field.country')
      .nullable(),
  ),
  ...three('hours', 200),
  ...three('address', 500),
  checkedOn: f
    .optionalDate()
    .refine((v) => v !== null, 'field.required')
    .transform((v) => v),
  position: f.int(0, 10_000),
  published: f.checkbox(),
});
const coordinate = () =>
  f
    .optionalText(32)
    .transform((v) => (v === null ? null : v.replace(',', '.')))
    .refine((v) => v === null || /^-?\d{1,3}(\.\d{1,7})?$/.test(v), 'field.decimal')
    .transform((v) => (v === null ? null : Number(v)));
const coordinatesForm = z.object({ latitude: coordinate(), longitude: coordinate(), version: f.int(1) });

function contactInput(v: z.infer<typeof contactForm>): ContactInput {
  return {
    kind: v.kind,
    countryCode: v.countryCode,
    names: localizedOf(v, 'name', 'names')!,
    phone: v.phone,
    email: v.email,
    url: v.url,
    hours: localizedOf(v, 'hours', 'hours'),
    address: localizedOf(v, 'address', 'address'),
    checkedOn: v.checkedOn,
    position: v.position,
    published: v.published,
  };
}

export function publicPageRouter(deps: AppDeps): Router {
  const router = Router();
  const db = deps.database.db;
  const now = () => deps.clock.now();
  const isAdmin = (res: Response) => hasRole(res.locals.user, 'admin');

  async function settingsPage(req: Request, res: Response, id: number, focus?: P.Focus, status = 200) {
    const lang: Lang = res.locals.lang;
    const settings = await loadPublicPageSettings(db, id);
    const { operation, contacts } = settings;
    const readOnly = !isAdmin(res);
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-page',
      {
        title: t(lang, 'ws.public.title', { operation: localized(operation.names, lang) }),
        crumbs: [
          { href: '/staff/operations', label: t(lang, 'ws.operations.title') },
          { href: `/staff/operations/${id}`, label: localized(operation.names, lang) },
        ],
        intro: t(lang, 'ws.public.intro'),
        saved: status === 200 ? savedMessage(req, lang) : undefined,
        invalid: invalidBanner(lang, focus?.state.errors),
        conflict: focus?.conflict,
        links: [{ href: `/${lang}/`, label: t(lang, 'ws.public.view') }],
        lists: [
          {
            title: t(lang, 'ws.public.contacts'),
            empty: t(lang, 'ws.public.no_contacts'),
            items: contacts.map((c) => ({
              ...W.contactItem(lang, c),
              form: P.form(
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
          },
          {
            title: t(lang, 'ws.public.history'),
            empty: t(lang, 'ws.public.history_empty'),
            items: W.presentPublicPageHistory(lang, settings).map((h) => ({
              label: h.what,
              lines: [`${h.when} — ${h.who}`, ...(h.fields ? [h.fields] : [])],
            })),
          },
        ],
        forms: [
          ...(readOnly
            ? []
            : [
                {
                  title: t(lang, 'ws.public.new_contact'),
                  ...P.form(
                    lang,
                    'contact',
                    {
                      action: `/staff/operations/${id}/contacts`,
                      specs: W.contactFields(lang),
                      values: {
                        kind: 'hotline',
                        published: '1',
                        position: String(contacts.length),
                        checkedOn: localDay(now(), operation.timeZone),
                      },
                      submit: t(lang, 'ws.create'),
                    },
                    focus,
                  ),
                },
              ]),
          {
            title: t(lang, 'ws.public.publisher'),
            ...P.form(
              lang,
              'publisher',
              {
                action: `/staff/operations/${id}/publisher`,
                specs: W.publisherFields(lang),
                values: W.publisherValues(operation),
                version: operation.version,
                submit: t(lang, 'ws.save'),
                readOnly,
              },
              focus,
            ),
          },
        ],
      },
      status,
    );
  }
  staffRoute(router, 'get', '/operations/:id/public', 'viewer', (req, res) =>
    settingsPage(req, res, idParam(req)),
  );

  staffRoute(router, 'post', '/operations/:id/publisher', 'admin', (req, res) => {
    const id = idParam(req);
    return submit(req, res, {
      key: 'publisher',
      render: (focus, status) => settingsPage(req, res, id, focus, status),
      current: async () => {
        const { operation } = await loadPublicPageSettings(db, id);
        return {
          values: W.publisherValues(operation),
          version: operation.version,
          timeZone: operation.timeZone,
        };
      },
      run: async () => {
        const v = parseForm(publisherForm, req.body);
        await editPublisher(
          { db },
          {
            operationId: id,
            expectedVersion: v.version,
            fields: {
              authority: localizedOf(v, 'authority', 'authority'),
              authorityUrl: v.authorityUrl,
              publicLead: localizedOf(v, 'lead', 'lead'),
            },
            actor: actorOf(res),
          },
        );
        return `/staff/operations/${id}/public?saved=details`;
      },
    });
  });

  staffRoute(router, 'post', '/operations/:id/contacts', 'admin', (req, res) => {
    const id = idParam(req);
    return submit(req, res, {
      key: 'contact',
      render: (focus, status) => settingsPage(req, res, id, focus, status),
      run: async () => {
        const fields = contactInput(parseForm(contactForm, req.body));
        await createContact({ db, now: now() }, { operationId: id, fields, actor: actorOf(res) });
        return `/staff/operations/${id}/public?saved=created`;
      },
    });
  });

  staffRoute(router, 'post', '/contacts/:id', 'admin', async (req, res) => {
    const id = idParam(req);
    const { operation } = await loadContact(db, id);
    return submit(req, res, {
      key: `contact-${id}`,
      render: (focus, status) => settingsPage(req, res, operation.id, focus, status),
      current: async () => {
        const { contact } = await loadContact(db, id);
        return { values: W.contactValues(contact), version: contact.version, timeZone: operation.timeZone };
      },
      run: async () => {
        const v = parseForm(contactForm.extend({ version: f.int(1) }), req.body);
        await editContact(
          { db, now: now() },
          { contactId: id, expectedVersion: v.version, fields: contactInput(v), actor: actorOf(res) },
        );
        return `/staff/operations/${operation.id}/public?saved=details`;
      },
    });
  });

  // ---- where places are on the public map
  async function mapPage(req: Request, res: Response, focus?: P.Focus, status = 200) {
    const lang: Lang = res.locals.lang;
    const places = await loadPlaces(db);
    // Places still without coordinates first: they are what needs doing.
    const sorted = [...places].sort((a, b) => Number(a.latitude !== null) - Number(b.latitude !== null));
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-page',
      {
        title: t(lang, 'ws.map.title'),
        intro: t(lang, 'ws.map.intro'),
        saved: status === 200 ? savedMessage(req, lang) : undefined,
        invalid: invalidBanner(lang, focus?.state.errors),
        conflict: focus?.conflict,
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
              form: P.form(
                lang,
                `place-${p.id}`,
                {
                  action: `/staff/places/${p.id}/coordinates`,
                  specs: W.coordinateFields(lang),
                  values: W.coordinateValues(p),
                  version: p.version,
                  submit: t(lang, 'ws.save'),
                  readOnly: !isAdmin(res),
                },
                focus,
              ),
            })),
          },
        ],
      },
      status,
    );
  }
  staffRoute(router, 'get', '/map', 'viewer', (req, res) => mapPage(req, res));
  staffRoute(router, 'post', '/places/:id/coordinates', 'admin', (req, res) => {
    const id = idParam(req);
    return submit(req, res, {
      key: `place-${id}`,
      render: (focus, status) => mapPage(req, res, focus, status),
      current: async () => {
        const place = await loadPlace(db, id);
        return { values: W.coordinateValues(place), version: place.version, timeZone: 'Asia/Almaty' };
      },
      run: async () => {
        const v = parseForm(coordinatesForm, req.body);
        await setPlaceCoordinates(
          { db },
          {
            placeId: id,
            expectedVersion: v.version,
            latitude: v.latitude,
            longitude: v.longitude,
            actor: actorOf(res),
          },
        );
        return `/staff/map?saved=details#place-${id}`;
      },
    });
  });

  return router;
}
