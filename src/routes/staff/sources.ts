// Sources: the reports, briefings and desk records figures are attributed to. Anyone
// signed in reads them; an officer (who records sources on the count form) corrects
// and translates their outlet and title on one versioned form (field-level merge,
// 409 per field, 422, 303: the one form pipeline through submit()).
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { editSourceTexts, loadSource, loadSources } from '../../domain/staff/sources.ts';
import { type Lang, t } from '../../i18n/index.ts';
import type { Focus } from '../../presenters/ws-catalog.ts';
import { pageHeader, presentRecordPage } from '../../presenters/ws-record-page.ts';
import * as S from '../../presenters/ws-sources.ts';
import { locals } from '../locals.ts';
import { savedMessage } from './movements.ts';
import { hasRole, staffRoute } from './define.ts';
import { actorOf, f, idParam, parseForm } from './forms.ts';
import { localizedFormFields, toLocalized } from './localized-form.ts';
import { renderStaff } from './render.ts';
import { submit } from './submit.ts';

// Every language optional here: the domain requires the source's own language.
const sourceForm = z.object({
  ...localizedFormFields('outlet', 300),
  ...localizedFormFields('title', 500),
  version: f.int(1),
});

export function sourcesRouter(deps: AppDeps): Router {
  const router = Router();
  staffRoute(router, 'get', '/sources', 'viewer', (req, res) => sourceListPage(deps, req, res));
  staffRoute(router, 'get', '/sources/:id', 'viewer', (req, res) => sourcePage(deps, req, res, idParam(req)));
  staffRoute(router, 'post', '/sources/:id', 'officer', (req, res) =>
    saveSource(deps, req, res, idParam(req)),
  );
  return router;
}

/** Every source, each with the languages it still lacks. */
async function sourceListPage(deps: AppDeps, req: Request, res: Response) {
  const lang: Lang = locals(res).lang;
  const sources = await loadSources(deps.database.db);
  renderStaff(deps, req, res, 'staff/ws-page', {
    ...pageHeader(lang, { title: t(lang, 'ws.sources.title') }),
    intro: t(lang, 'ws.sources.intro'),
    lists: [
      {
        title: t(lang, 'ws.sources.list'),
        empty: t(lang, 'ws.sources.empty'),
        items: sources.map((s) => S.sourceListItem(lang, s)),
      },
    ],
  });
}

/** One source's form and its history (also the form again after a 422 or 409). */
async function sourcePage(
  deps: AppDeps,
  req: Request,
  res: Response,
  id: number,
  focus?: Focus,
  status = 200,
) {
  const lang: Lang = locals(res).lang;
  const { source, history } = await loadSource(deps.database.db, id);
  const model = presentRecordPage(lang, {
    title: S.sourceName(lang, source),
    crumbs: [{ href: '/staff/sources', label: t(lang, 'ws.sources.title') }],
    saved: status === 200 ? savedMessage(req, lang) : undefined,
    focus,
    form: {
      key: 'source',
      action: S.sourceHref(id),
      specs: S.sourceFields(lang, source),
      values: S.sourceValues(source),
      version: source.version,
      canEdit: hasRole(res.locals.user, 'officer'),
    },
  });
  const lists = [
    {
      title: t(lang, 'ws.sources.history'),
      empty: t(lang, 'ws.sources.history_empty'),
      items: S.sourceHistoryItems(lang, history, deps.config.STAFF_TIME_ZONE),
    },
  ];
  renderStaff(deps, req, res, 'staff/ws-page', { ...model, lists }, status);
}

/** The source form's POST, through the one form pipeline. */
function saveSource(deps: AppDeps, req: Request, res: Response, id: number) {
  const db = deps.database.db;
  return submit(req, res, {
    key: 'source',
    render: (focus, status) => sourcePage(deps, req, res, id, focus, status),
    current: async () => {
      const { source } = await loadSource(db, id);
      return {
        values: S.sourceValues(source),
        version: source.version,
        timeZone: deps.config.STAFF_TIME_ZONE,
      };
    },
    run: async () => {
      const v = parseForm(sourceForm, req.body);
      await editSourceTexts(
        { db },
        {
          sourceId: id,
          expectedVersion: v.version,
          fields: { outlets: toLocalized(v, 'outlet'), titles: toLocalized(v, 'title') },
          actor: actorOf(res),
        },
      );
      return `${S.sourceHref(id)}?saved=details`;
    },
  });
}
