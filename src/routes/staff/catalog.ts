// Operations (with their settings) and pinned notices.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { createNotice, createOperation, editNotice, editOperation } from '../../domain/staff/catalog.ts';
import { loadNotice, loadOperationPage, loadOperations } from '../../domain/staff/reads.ts';
import { type Lang, localized, t } from '../../i18n/index.ts';
import * as P from '../../presenters/ws-catalog.ts';
import { invalidBanner } from '../../presenters/ws-form.ts';
import { savedMessage } from './movements.ts';
import { hasRole, staffRoute } from './define.ts';
import { actorOf, f, idParam, parseForm } from './forms.ts';
import { renderStaff } from './render.ts';
import { submit } from './submit.ts';

const localizedNames = (prefix: string) => ({
  [`${prefix}_en`]: f.text(300),
  [`${prefix}_ru`]: f.optionalText(300),
  [`${prefix}_kk`]: f.optionalText(300),
});
const toNames = (form: object, prefix = 'name') => {
  const v = form as Record<string, string | null>;
  return {
    en: v[`${prefix}_en`]!,
    ...(v[`${prefix}_ru`] ? { ru: v[`${prefix}_ru`]! } : {}),
    ...(v[`${prefix}_kk`] ? { kk: v[`${prefix}_kk`]! } : {}),
  };
};

const operationForm = z.object({
  slug: f.slug(),
  ...localizedNames('name'),
  timeZone: f.text(64),
  isPublic: f.checkbox(),
  status: f.oneOf(['active', 'closed'] as const),
  staleAfterHours: f.int(1, 720),
  smallCountThreshold: f.int(1, 1000),
  publicationDelayMinutes: f.int(0, 10_080),
  digestTime: f.text(5).pipe(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'field.time')),
});
const noticeForm = z.object({
  ...localizedNames('body'),
  body_en: f.text(4000),
  body_ru: f.optionalText(4000),
  body_kk: f.optionalText(4000),
  sourceId: f.optionalInt(1),
  pinned: f.checkbox(),
  expiresAt: f.optionalDateTime(),
});
const withVersion = { version: f.int(1) };

function operationInput(v: z.infer<typeof operationForm>) {
  const {
    slug,
    timeZone,
    isPublic,
    status,
    staleAfterHours,
    smallCountThreshold,
    publicationDelayMinutes,
    digestTime,
  } = v;
  return {
    slug,
    names: toNames(v),
    timeZone,
    isPublic,
    status,
    staleAfterHours,
    smallCountThreshold,
    publicationDelayMinutes,
    digestTime,
  };
}
const noticeInput = (v: z.infer<typeof noticeForm>) => ({
  bodies: toNames(v, 'body'),
  sourceId: v.sourceId,
  pinned: v.pinned,
  expiresAt: v.expiresAt,
});

export function catalogRouter(deps: AppDeps): Router {
  const router = Router();
  const db = deps.database.db;
  const can = (res: Response, role: 'officer' | 'admin') => hasRole(res.locals.user, role);

  // ---- operations
  async function operationsPage(req: Request, res: Response, focus?: P.Focus, status = 200) {
    const lang: Lang = res.locals.lang;
    const ops = await loadOperations(db);
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-page',
      {
        title: t(lang, 'ws.operations.title'),
        invalid: invalidBanner(lang, focus?.state.errors),
        lists: [
          {
            title: t(lang, 'ws.operations.list'),
            empty: t(lang, 'ws.operations.empty'),
            items: ops.map((o) => ({
              label: localized(o.names, lang),
              href: `/staff/operations/${o.id}`,
              badge: t(lang, `ws.operation.status.${o.status}`),
              badgeClass: o.status === 'closed' ? 'cancelled' : 'departed',
              lines: [o.slug],
            })),
          },
        ],
        forms: can(res, 'admin')
          ? [
              {
                title: t(lang, 'ws.operations.new'),
                ...P.form(
                  lang,
                  'new',
                  {
                    action: '/staff/operations',
                    specs: P.operationFields(lang),
                    values: P.newOperationValues(),
                    submit: t(lang, 'ws.create'),
                  },
                  focus,
                ),
              },
            ]
          : [],
      },
      status,
    );
  }
  staffRoute(router, 'get', '/operations', 'viewer', (req, res) => operationsPage(req, res));
  staffRoute(router, 'post', '/operations', 'admin', (req, res) =>
    submit(req, res, {
      key: 'new',
      render: (focus, status) => operationsPage(req, res, focus, status),
      run: async () => {
        const { id } = await createOperation(
          { db },
          { fields: operationInput(parseForm(operationForm, req.body)), actor: actorOf(res) },
        );
        return `/staff/operations/${id}?saved=created`;
      },
    }),
  );

  async function operationPage(req: Request, res: Response, id: number, focus?: P.Focus, status = 200) {
    const lang: Lang = res.locals.lang;
    const page = await loadOperationPage(db, id);
    const { operation } = page;
    const tz = operation.timeZone;
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-page',
      {
        title: localized(operation.names, lang),
        saved: status === 200 ? savedMessage(req, lang) : undefined,
        invalid: invalidBanner(lang, focus?.state.errors),
        conflict: focus?.conflict,
        links: [
          { href: `/staff/operations/${id}/public`, label: t(lang, 'ws.public.link') },
          { href: `/staff/operations/${id}/export.csv`, label: t(lang, 'ws.csv.export') },
          ...(can(res, 'officer')
            ? [{ href: `/staff/operations/${id}/import`, label: t(lang, 'ws.csv.import') }]
            : []),
        ],
        lists: [
          {
            title: t(lang, 'ws.routes.title'),
            empty: t(lang, 'ws.routes.empty'),
            items: page.routes.map((r) => ({
              label: localized(r.names, lang),
              href: `/staff/routes/${r.id}`,
              lines: [t(lang, 'ws.routes.legs', { count: page.legCounts.get(r.id) ?? 0 })],
            })),
          },
          {
            title: t(lang, 'ws.notices.title'),
            empty: t(lang, 'ws.notices.empty'),
            items: page.notices.map((n) => ({
              label: n.bodies[lang] || Object.values(n.bodies).find(Boolean) || '',
              badge: n.pinned ? t(lang, 'ws.notice.pinned') : undefined,
              form: P.form(
                lang,
                `notice-${n.id}`,
                {
                  action: `/staff/notices/${n.id}`,
                  specs: P.noticeFields(lang, page.sources),
                  values: P.noticeValues(n, tz),
                  version: n.version,
                  submit: t(lang, 'ws.save'),
                  readOnly: !can(res, 'officer'),
                },
                focus,
              ),
            })),
          },
        ],
        forms: [
          {
            title: t(lang, 'ws.settings.title'),
            ...P.form(
              lang,
              'settings',
              {
                action: `/staff/operations/${id}`,
                specs: P.operationFields(lang),
                values: P.operationValues(operation),
                version: operation.version,
                submit: t(lang, 'ws.save'),
                readOnly: !can(res, 'admin'),
              },
              focus,
            ),
          },
          ...(can(res, 'admin')
            ? [
                {
                  title: t(lang, 'ws.routes.new'),
                  ...P.form(
                    lang,
                    'route',
                    {
                      action: `/staff/operations/${id}/routes`,
                      specs: P.routeFields(lang, page.sources, page.operation.workingLanguage),
                      values: { position: String(page.routes.length) },
                      submit: t(lang, 'ws.create'),
                    },
                    focus,
                  ),
                },
              ]
            : []),
          ...(can(res, 'officer')
            ? [
                {
                  title: t(lang, 'ws.notices.new'),
                  ...P.form(
                    lang,
                    'notice',
                    {
                      action: `/staff/operations/${id}/notices`,
                      specs: P.noticeFields(lang, page.sources),
                      values: { pinned: '1' },
                      submit: t(lang, 'ws.notices.publish'),
                    },
                    focus,
                  ),
                },
              ]
            : []),
        ],
      },
      status,
    );
  }
  const operationNow = async (id: number) => {
    const { operation } = await loadOperationPage(db, id);
    return { values: P.operationValues(operation), version: operation.version, timeZone: operation.timeZone };
  };
  staffRoute(router, 'get', '/operations/:id', 'viewer', (req, res) => operationPage(req, res, idParam(req)));
  staffRoute(router, 'post', '/operations/:id', 'admin', (req, res) => {
    const id = idParam(req);
    return submit(req, res, {
      key: 'settings',
      render: (focus, status) => operationPage(req, res, id, focus, status),
      current: () => operationNow(id),
      run: async () => {
        const v = parseForm(operationForm.extend(withVersion), req.body);
        await editOperation(
          { db, now: deps.clock.now() },
          { operationId: id, expectedVersion: v.version, fields: operationInput(v), actor: actorOf(res) },
        );
        return `/staff/operations/${id}?saved=details`;
      },
    });
  });

  // ---- notices
  staffRoute(router, 'post', '/operations/:id/notices', 'officer', (req, res) => {
    const id = idParam(req);
    return submit(req, res, {
      key: 'notice',
      render: (focus, status) => operationPage(req, res, id, focus, status),
      run: async () => {
        await createNotice(
          { db, now: deps.clock.now() },
          { operationId: id, fields: noticeInput(parseForm(noticeForm, req.body)), actor: actorOf(res) },
        );
        return `/staff/operations/${id}?saved=created`;
      },
    });
  });
  staffRoute(router, 'post', '/notices/:id', 'officer', async (req, res) => {
    const id = idParam(req);
    const { operation } = await loadNotice(db, id);
    return submit(req, res, {
      key: `notice-${id}`,
      render: (focus, status) => operationPage(req, res, operation.id, focus, status),
      current: async () => {
        const { notice } = await loadNotice(db, id);
        return {
          values: P.noticeValues(notice, operation.timeZone),
          version: notice.version,
          timeZone: operation.timeZone,
        };
      },
      run: async () => {
        const v = parseForm(noticeForm.extend(withVersion), req.body);
        await editNotice(
          { db },
          { noticeId: id, expectedVersion: v.version, fields: noticeInput(v), actor: actorOf(res) },
        );
        return `/staff/operations/${operation.id}?saved=details`;
      },
    });
  });

  return router;
}
