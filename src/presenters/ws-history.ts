// History views: figure change sets (old → new, who, when, why, source) and
// audit events, newest first.
import { type Lang, t } from '../i18n/index.ts';
import { type Field, type Stage } from '../domain/figures.ts';
import type { movementHistory, userHistory } from '../domain/staff/history.ts';
import { localDay } from '../domain/calendar.ts';
import { formatDateTime, formatDateTimeAttributive, formatDayAttributive, formatFigure } from './format.ts';
import { movementLabel } from './ws-labels.ts';

const ACTIONS = new Set(['create', 'edit', 'status', 'crossing', 'apply']);

type ChangeSet = Awaited<ReturnType<typeof userHistory>>['changeSets'][number];
type AuditRow = Awaited<ReturnType<typeof userHistory>>['events'][number];

const fieldLabel = (lang: Lang, stage: Stage, field: Field) =>
  `${t(lang, `stage.${stage}`)} — ${field === 'total' ? t(lang, 'ws.counts.total') : t(lang, `group.${field}`)}`;

/** When the change's figures were true: a day the source gave without a time is never "00:00". */
const asOfText = (lang: Lang, s: ChangeSet, tz: string) =>
  s.asOfTimeKnown
    ? t(lang, 'ws.history.as_of', { when: formatDateTimeAttributive(lang, s.asOf, tz) })
    : t(lang, 'ws.history.as_of_day_only', { when: formatDayAttributive(lang, localDay(s.asOf, tz)) });

function presentChangeSet(lang: Lang, s: ChangeSet, tz: string) {
  return {
    id: s.id,
    title: t(lang, s.revertsId ? 'ws.history.undo_of' : 'ws.history.change', {
      id: s.id,
      reverts: s.revertsId ?? '',
    }),
    meta: t(lang, 'ws.history.meta', {
      who: s.actorLabel,
      when: formatDateTime(lang, s.createdAt, tz),
      version: s.versionAfter,
    }),
    asOf: Math.abs(s.asOf.getTime() - s.createdAt.getTime()) > 60_000 ? asOfText(lang, s, tz) : undefined,
    reason: s.reason,
    actorHref: s.actorId ? `/staff/activity/${s.actorId}` : undefined,
    movementHref: `/staff/movements/${s.movementId}/history`,
    changes: s.changes.map((c) => ({
      label: fieldLabel(lang, c.stage, c.field),
      from: formatFigure(lang, c.oldValue),
      to: formatFigure(lang, c.newValue),
    })),
  };
}

function presentEvent(lang: Lang, e: AuditRow, tz: string) {
  const after = (e.after ?? {}) as Record<string, unknown>;
  const before = (e.before ?? {}) as Record<string, unknown>;
  return {
    // For tests and scripts: what happened to which record, whatever the language.
    event: `${e.entity}.${e.action}`,
    entityId: e.entityId,
    title: t(lang, 'ws.history.event', {
      entity: t(lang, `ws.entity.${e.entity}`),
      action: ACTIONS.has(e.action) ? t(lang, `ws.action.${e.action}`) : e.action,
      id: e.entityId,
    }),
    meta: t(lang, 'ws.history.meta_plain', {
      who: e.actorLabel,
      when: formatDateTime(lang, e.createdAt, tz),
    }),
    changes: Object.keys(after).map((k) => ({
      label: k,
      from: before[k] === undefined || before[k] === null ? '—' : JSON.stringify(before[k]),
      to: after[k] === null ? '—' : JSON.stringify(after[k]),
    })),
  };
}

export function presentMovementHistory(
  lang: Lang,
  h: Awaited<ReturnType<typeof movementHistory>>,
  tz: string,
  canUndo: boolean,
) {
  return {
    movementHref: `/staff/movements/${h.movement.id}`,
    label: movementLabel(h.movement, lang),
    version: h.movement.version,
    changeSets: h.changeSets.map((s) => ({
      ...presentChangeSet(lang, s, tz),
      source: s.source ? `${s.source.outlet} — ${s.source.title}` : undefined,
      undone: s.undone,
      undo:
        canUndo && s.undoable
          ? { action: `/staff/movements/${h.movement.id}/history/${s.id}/undo` }
          : undefined,
    })),
    events: h.events.map((e) => presentEvent(lang, e, tz)),
    empty: h.changeSets.length === 0 && h.events.length === 0,
  };
}

export function presentUserHistory(lang: Lang, h: Awaited<ReturnType<typeof userHistory>>, tz: string) {
  return {
    name: h.user.name,
    changeSets: h.changeSets.map((s) => presentChangeSet(lang, s, tz)),
    events: h.events.map((e) => presentEvent(lang, e, tz)),
    empty: h.changeSets.length === 0 && h.events.length === 0,
  };
}
