// Places: the cities, airports, border crossings and countries legs run between.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { createPlace, editPlace } from '../../domain/staff/places.ts';
import { loadPlace, loadPlaces } from '../../domain/staff/reads.ts';
import { type Lang, localized, t } from '../../i18n/index.ts';
import * as P from '../../presenters/ws-catalog.ts';
import { invalidBanner } from '../../presenters/ws-form.ts';
import { presentRecordPage } from '../../presenters/ws-record-page.ts';
import { locals } from '../locals.ts';
import { savedMessage } from './movements.ts';
import { hasRole, staffRoute } from './define.ts';
import { actorOf, f, idParam, parseForm } from './forms.ts';
import { renderStaff } from './render.ts';
import { submit } from './submit.ts';

const placeForm = z.object({
  slug: f.slug(),
  name_en: f.text(300),
  name_ru: f.optionalText(300),
  name_kk: f.optionalText(300),
  countryCode: f.text(2).pipe(
    z
      .string()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'field.country'),
  ),
  kind: f.oneOf(['city', 'airport', 'border_crossing', 'country'] as const),
});
const withVersion = { version: f.int(1) };
const toNames = (v: z.infer<typeof placeForm>) => ({
  en: v.name_en,
  ...(v.name_ru ? { ru: v.name_ru } : {}),
  ...(v.name_kk ? { kk: v.name_kk } : {}),
});

export function placesRouter(deps: AppDeps): Router {
  const router = Router();
  const db = deps.database.db;
  const can = (res: Response, role: 'officer' | 'admin') => hasRole(res.locals.user, role);

  // ---- places
  async function placesPage(req: Request, res: Response, focus?: P.Focus, status = 200) {
    const lang: Lang = res.locals.lang;
    const places = await loadPlaces(db);
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-page',
      {
        title: t(lang, 'ws.places.title'),
        saved: status === 200 ? savedMessage(req, lang) : undefined,
        invalid: invalidBanner(lang, focus?.state.errors),
        forms: can(res, 'admin')
          ? [
              {
                title: t(lang, 'ws.places.new'),
                ...P.form(
                  lang,
                  'new',
                  {
                    action: '/staff/places',
                    specs: P.placeFields(lang),
                    values: { kind: 'city' },
                    submit: t(lang, 'ws.create'),
                  },
                  focus,
                ),
              },
            ]
          : [],
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
      },
      status,
    );
  }
  staffRoute(router, 'get', '/places', 'viewer', (req, res) => placesPage(req, res));
  staffRoute(router, 'post', '/places', 'admin', (req, res) =>
    submit(req, res, {
      key: 'new',
      render: (focus, status) => placesPage(req, res, focus, status),
      run: async () => {
        const v = parseForm(placeForm, req.body);
        await createPlace(
          { db },
          {
            fields: {
              slug: v.slug,
              names: toNames(v),
              countryCode: v.countryCode,
              kind: v.kind,
            },
            actor: actorOf(res),
          },
        );
        return '/staff/places?saved=created';
      },
    }),
  );

  async function placePage(req: Request, res: Response, id: number, focus?: P.Focus, status = 200) {
    const lang = locals(res).lang;
    const place = await loadPlace(db, id);
    const model = presentRecordPage(lang, {
      title: localized(place.names, lang),
      crumbs: [{ href: '/staff/places', label: t(lang, 'ws.places.title') }],
      saved: status === 200 ? savedMessage(req, lang) : undefined,
      focus,
      form: {
        key: 'place',
        action: `/staff/places/${id}`,
        specs: P.placeFields(lang),
        values: P.placeValues(place),
        version: place.version,
        canEdit: can(res, 'admin'),
      },
    });
    renderStaff(deps, req, res, 'staff/ws-page', model, status);
  }
  staffRoute(router, 'get', '/places/:id', 'viewer', (req, res) => placePage(req, res, idParam(req)));
  staffRoute(router, 'post', '/places/:id', 'admin', (req, res) => {
    const id = idParam(req);
    return submit(req, res, {
      key: 'place',
      render: (focus, status) => placePage(req, res, id, focus, status),
      current: async () => {
        const place = await loadPlace(db, id);
        return {
          values: P.placeValues(place),
          version: place.version,
          timeZone: deps.config.STAFF_TIME_ZONE,
        };
      },
      run: async () => {
        const v = parseForm(placeForm.extend(withVersion), req.body);
        await editPlace(
          { db },
          {
            placeId: id,
            expectedVersion: v.version,
            fields: {
              slug: v.slug,
              names: toNames(v),
              countryCode: v.countryCode,
              kind: v.kind,
            },
            actor: actorOf(res),
          },
        );
        return `/staff/places/${id}?saved=details`;
      },
    });
  });

  return router;
}
