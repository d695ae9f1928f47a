// Places: the cities, airports, border crossings and countries legs run between.
// Their pages' models are built by presenters/ws-place-pages.ts.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { createPlace, editPlace } from '../../domain/staff/places.ts';
import { loadPlace, loadPlaces } from '../../domain/staff/reads.ts';
import * as P from '../../presenters/ws-catalog.ts';
import { presentPlacePage, presentPlacesPage } from '../../presenters/ws-place-pages.ts';
import { locals, permissions } from '../locals.ts';
import { staffRoute } from './define.ts';
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

  async function placesPage(req: Request, res: Response, focus?: P.Focus, status = 200) {
    const places = await loadPlaces(db);
    const view = { status, saved: req.query.saved, focus };
    const model = presentPlacesPage(locals(res).lang, places, permissions(res), view);
    renderStaff(deps, req, res, 'staff/ws-page', model, status);
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
    const place = await loadPlace(db, id);
    const view = { status, saved: req.query.saved, focus };
    const model = presentPlacePage(locals(res).lang, place, permissions(res), view);
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
