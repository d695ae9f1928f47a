// What the public page says about itself, per operation (admin edits, everyone
// reads): the publisher and its site, the short lead above the summary, the
// "Help and contacts" items; and where places are on the public map. The pages'
// models are built by presenters/ws-public-page-pages.ts.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { CONTACT_KINDS } from '../../domain/vocabulary.ts';
import type { AppDeps } from '../../deps.ts';
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
import type { Focus } from '../../presenters/ws-catalog.ts';
import * as W from '../../presenters/ws-public-page.ts';
import {
  presentPublicMapPage,
  presentPublicPageSettingsPage,
} from '../../presenters/ws-public-page-pages.ts';
import { locals, permissions } from '../locals.ts';
import { staffRoute } from './define.ts';
import { actorOf, f, idParam, parseForm } from './forms.ts';
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

  async function settingsPage(req: Request, res: Response, id: number, focus?: Focus, status = 200) {
    const settings = await loadPublicPageSettings(db, id);
    const view = { status, saved: req.query.saved, focus };
    const model = presentPublicPageSettingsPage(
      locals(res).lang,
      { settings, now: now() },
      permissions(res),
      view,
    );
    renderStaff(deps, req, res, 'staff/ws-page', model, status);
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
        const fields = {
          authority: localizedOf(v, 'authority', 'authority'),
          authorityUrl: v.authorityUrl,
          publicLead: localizedOf(v, 'lead', 'lead'),
        };
        await editPublisher(
          { db },
          { operationId: id, expectedVersion: v.version, fields, actor: actorOf(res) },
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
        const edit = {
          contactId: id,
          expectedVersion: v.version,
          fields: contactInput(v),
          actor: actorOf(res),
        };
        await editContact({ db, now: now() }, edit);
        return `/staff/operations/${operation.id}/public?saved=details`;
      },
    });
  });

  // ---- where places are on the public map
  async function mapPage(req: Request, res: Response, focus?: Focus, status = 200) {
    const places = await loadPlaces(db);
    const view = { status, saved: req.query.saved, focus };
    const model = presentPublicMapPage(locals(res).lang, places, permissions(res), view);
    renderStaff(deps, req, res, 'staff/ws-page', model, status);
  }
  staffRoute(router, 'get', '/map', 'viewer', (req, res) => mapPage(req, res));
  staffRoute(router, 'post', '/places/:id/coordinates', 'admin', (req, res) => {
    const id = idParam(req);
    return submit(req, res, {
      key: `place-${id}`,
      render: (focus, status) => mapPage(req, res, focus, status),
      current: async () => {
        const place = await loadPlace(db, id);
        // A place belongs to no operation: its conflict banner speaks the staff time zone.
        const timeZone = deps.config.STAFF_TIME_ZONE;
        return { values: W.coordinateValues(place), version: place.version, timeZone };
      },
      run: async () => {
        const v = parseForm(coordinatesForm, req.body);
        const { latitude, longitude } = v;
        const edit = { placeId: id, expectedVersion: v.version, latitude, longitude, actor: actorOf(res) };
        await setPlaceCoordinates({ db }, edit);
        return `/staff/map?saved=details#place-${id}`;
      },
    });
  });

  return router;
}
