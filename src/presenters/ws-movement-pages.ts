// Whole-page view models of the movement pages (details, new movement, history,
// a user's activity): present…Page(lang, data, permissions, view). The routes only
// load the data and render what these return (docs/contributing.md, "A staff page").
import type { Permissions } from '../domain/auth/permissions.ts';
import type { movementHistory, userHistory } from '../domain/staff/history.ts';
import type { loadMovementPage, loadRoutePage } from '../domain/staff/reads.ts';
import { MOVEMENT_STATUSES } from '../domain/vocabulary.ts';
import { type Lang, t } from '../i18n/index.ts';
import { type FormState, invalidBanner, presentConflict, presentSaved } from './ws-form.ts';
import { presentMovementHistory, presentUserHistory } from './ws-history.ts';
import { crumbs, movementFormFields, movementValues, presentMovementPage } from './ws-movement.ts';
import { movementLabel } from './ws-labels.ts';

type MovementPage = Awaited<ReturnType<typeof loadMovementPage>>;
type RoutePage = Awaited<ReturnType<typeof loadRoutePage>>;

/** After a form: 200 shows ?saved=…; 422/409 show what was typed, its messages, the conflict. */
export type PageView = {
  status: number;
  saved?: unknown;
  state?: FormState;
  conflict?: Record<string, unknown>;
};

export function presentMovementDetailsPage(
  lang: Lang,
  page: MovementPage,
  permissions: Permissions,
  view: PageView,
) {
  const tz = page.operation.timeZone;
  const state = view.state ?? { values: movementValues(page.movement, tz) };
  return {
    title: movementLabel(page.movement, lang),
    ...presentMovementPage(lang, page, state, permissions.edit),
    saved: view.status === 200 ? presentSaved(lang, view.saved) : undefined,
    invalid: invalidBanner(lang, view.state?.errors),
    conflict: view.conflict ? presentConflict(lang, view.conflict, tz) : undefined,
  };
}

/** The current values of a movement's details form (for a 409). */
export const movementFormNow = (page: MovementPage) => ({
  values: movementValues(page.movement, page.operation.timeZone),
  version: page.movement.version,
});

export const NEW_MOVEMENT_VALUES = { kind: 'convoy', status: 'planned' };

export function presentNewMovementPage(
  lang: Lang,
  page: RoutePage,
  _permissions: Permissions,
  state: FormState,
) {
  return {
    title: t(lang, 'ws.movement.new'),
    crumbs: crumbs(lang, page.operation, page.route),
    invalid: invalidBanner(lang, state.errors),
    forms: [
      {
        action: `/staff/routes/${page.route.id}/movements`,
        hidden: [],
        fields: movementFormFields(lang, page.legs, state, MOVEMENT_STATUSES, page.operation.workingLanguage),
        submit: t(lang, 'ws.create'),
      },
    ],
  };
}

export function presentMovementHistoryPage(
  lang: Lang,
  data: { history: Awaited<ReturnType<typeof movementHistory>>; page: MovementPage },
  permissions: Permissions,
  view: PageView,
) {
  const { history, page } = data;
  return {
    title: t(lang, 'ws.history.title', { label: movementLabel(history.movement, lang) }),
    crumbs: crumbs(lang, page.operation, page.route),
    ...presentMovementHistory(lang, history, page.operation.timeZone, permissions.edit),
    saved: view.status === 200 ? presentSaved(lang, view.saved) : undefined,
    invalid:
      view.status === 422
        ? t(lang, 'ws.history.undo_invalid')
        : view.status === 409
          ? t(lang, 'ws.history.undo_conflict')
          : undefined,
  };
}

export function presentActivityPage(
  lang: Lang,
  history: Awaited<ReturnType<typeof userHistory>>,
  _permissions: Permissions,
  timeZone: string,
) {
  return {
    title: t(lang, 'ws.activity.title', { name: history.user.name }),
    ...presentUserHistory(lang, history, timeZone),
  };
}
