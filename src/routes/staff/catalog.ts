// Operations (with their settings) and pinned notices.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { createNotice, createOperation, editNotice, editOperation } from '../../domain/staff/catalog.ts';
import { loadNotice, loadOperationPage, loadOperations } from '../../domain/staff/reads.ts';
import { LANGUAGES } from '../../i18n/index.ts';
import * as P from '../../presenters/ws-catalog.ts';
import { presentOperationPage, presentOperationsPage } from '../../presenters/ws-operation.ts';
import { locals } from '../locals.ts';
import { savedMessage } from './movements.ts';
import { hasRole, staffRoute } from './define.ts';
import { actorOf, f, idParam, parseForm } from './forms.ts';
import { renderStaff } from './render.ts';
import { localizedFormFields, toLocalized } from './localized-form.ts';
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
  workingLanguage: f.oneOf(LANGUAGES).optional(),
});
const noticeForm = z.object({
  // Every language optional here: the domain requires the operation's working language.
  ...localizedFormFields('body', 4000),
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
    workingLanguage,
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
    workingLanguage,
  };
}
const noticeInput = (v: z.infer<typeof noticeForm>) => ({
  bodies: toLocalized(v, 'body'),
  sourceId: v.sourceId,
  pinned: v.pinned,
  expiresAt: v.expiresAt,
});

export function catalogRouter(deps: AppDeps): Router {
  const router = Router();
  const db = deps.database.db;
  const can = (res: Response, role: 'officer' | 'admin') => hasRole(res.locals.user, role);

  // ---- operations
  const rights = (res: Response) => ({ officer: can(res, 'officer'), admin: can(res, 'admin') });
  async function operationsPage(req: Request, res: Response, focus?: P.Focus, status = 200) {
    const { lang } = locals(res);
    const zone = deps.config.STAFF_TIME_ZONE;
    const model = presentOperationsPage(lang, await loadOperations(db), rights(res), zone, focus);
    renderStaff(deps, req, res, 'staff/ws-page', model, status);
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
    const lang = locals(res).lang;
    const page = await loadOperationPage(db, id);
    const saved = status === 200 ? savedMessage(req, lang) : undefined;
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-page',
      presentOperationPage(lang, page, rights(res), { saved, focus }),
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
