// Page models of the operations list (with the new-operation form) and of one operation:
// its routes, its notices (each with its edit form), its settings, and the forms that add
// a route or a notice.
import type { loadOperationPage, loadOperations } from '../domain/staff/reads.ts';
import { type Lang, localized, t } from '../i18n/index.ts';
import * as P from './ws-catalog.ts';
import { invalidBanner } from './ws-form.ts';
import { pageHeader } from './ws-record-page.ts';

type OperationPage = Awaited<ReturnType<typeof loadOperationPage>>;
type Operations = Awaited<ReturnType<typeof loadOperations>>;
/** What the signed-in user may do here. */
export type OperationRights = { officer: boolean; admin: boolean };

export function presentOperationsPage(
  lang: Lang,
  ops: Operations,
  can: OperationRights,
  staffTimeZone: string,
  focus?: P.Focus,
) {
  return {
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
    forms: can.admin
      ? [
          {
            title: t(lang, 'ws.operations.new'),
            ...P.form(
              lang,
              'new',
              {
                action: '/staff/operations',
                specs: P.operationFields(lang),
                values: P.newOperationValues(staffTimeZone),
                submit: t(lang, 'ws.create'),
              },
              focus,
            ),
          },
        ]
      : [],
  };
}

/** `shown`: the "saved" note, or the form that was refused. */
export function presentOperationPage(
  lang: Lang,
  page: OperationPage,
  can: OperationRights,
  shown: { saved?: string; focus?: P.Focus },
) {
  const { operation } = page;
  const { focus } = shown;
  const tz = operation.timeZone;
  return {
    ...pageHeader(lang, { title: localized(operation.names, lang), ...shown }),
    links: [
      { href: `/staff/operations/${operation.id}/public`, label: t(lang, 'ws.public.link') },
      { href: `/staff/operations/${operation.id}/as-of`, label: t(lang, 'asof_view.link') },
      { href: `/staff/operations/${operation.id}/export.csv`, label: t(lang, 'ws.csv.export') },
      ...(can.officer
        ? [{ href: `/staff/operations/${operation.id}/import`, label: t(lang, 'ws.csv.import') }]
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
              specs: P.noticeFields(
                lang,
                page.operation.workingLanguage,
                page.sources,
                page.operation.timeZone,
              ),
              values: P.noticeValues(n, tz),
              version: n.version,
              submit: t(lang, 'ws.save'),
              readOnly: !can.officer,
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
            action: `/staff/operations/${operation.id}`,
            specs: P.operationFields(lang),
            values: P.operationValues(operation),
            version: operation.version,
            submit: t(lang, 'ws.save'),
            readOnly: !can.admin,
          },
          focus,
        ),
      },
      ...(can.admin
        ? [
            {
              title: t(lang, 'ws.routes.new'),
              ...P.form(
                lang,
                'route',
                {
                  action: `/staff/operations/${operation.id}/routes`,
                  specs: P.routeFields(lang, page.sources, page.operation.workingLanguage),
                  values: { position: String(page.routes.length) },
                  submit: t(lang, 'ws.create'),
                },
                focus,
              ),
            },
          ]
        : []),
      ...(can.officer
        ? [
            {
              title: t(lang, 'ws.notices.new'),
              ...P.form(
                lang,
                'notice',
                {
                  action: `/staff/operations/${operation.id}/notices`,
                  specs: P.noticeFields(
                    lang,
                    page.operation.workingLanguage,
                    page.sources,
                    page.operation.timeZone,
                  ),
                  values: { pinned: '1' },
                  submit: t(lang, 'ws.notices.publish'),
                },
                focus,
              ),
            },
          ]
        : []),
    ],
  };
}
