// What needs a staff member's attention in an operation: stale routes,
// movements over capacity, figures that do not add up, and movements past
// their date still "planned", text for the public missing a language; and (from
// the public cache, dashboard.ts) a public build the disclosure audit refused.
// Pure: computed from the snapshot.
import { localDay } from '../calendar.ts';
import { isStale } from '../staleness.ts';
import { MOVEMENT_STATUSES } from '../vocabulary.ts';
import type { Localized } from '../../i18n/languages.ts';
import type { Snapshot } from '../snapshot.ts';
import { type AttentionItem, missingLanguages } from './attention-item.ts';
import { sourceTranslationItems } from './source-translations.ts';
import { statusDisagreement } from './status-mark.ts';

export { type AttentionItem, missingLanguages } from './attention-item.ts';

function translationItems(snapshot: Snapshot): AttentionItem[] {
  const items: AttentionItem[] = [];
  const add = (
    text: Localized,
    item: Omit<Extract<AttentionItem, { kind: 'needs_translation' }>, 'kind' | 'missing'>,
  ) => {
    const missing = missingLanguages(text);
    if (missing.length) items.push({ kind: 'needs_translation', ...item, missing });
  };
  for (const n of snapshot.notices) add(n.bodies, { what: 'notice', noticeId: n.id });
  for (const r of snapshot.routes) {
    add(r.publicNotes, { what: 'route_note', routeId: r.id });
    for (const l of r.legs) add(l.publicNotes, { what: 'leg_note', routeId: r.id });
    for (const m of r.movements) {
      add(m.labels, { what: 'movement_label', routeId: r.id, movementId: m.id });
      add(m.publicNotes, { what: 'movement_note', routeId: r.id, movementId: m.id });
    }
  }
  items.push(...sourceTranslationItems(snapshot.sources.values()));
  return items;
}

const ACTIVE = new Set(['planned', 'boarding', 'departed']);

export function attentionItems(snapshot: Snapshot, now: Date): AttentionItem[] {
  const items: AttentionItem[] = [];
  const { operation } = snapshot;
  const today = localDay(now, operation.timeZone);
  // A public page with no hotline, embassy or registration link leaves families nothing to act on.
  if (operation.isPublic && operation.status === 'active' && snapshot.contacts.length === 0)
    items.push({ kind: 'no_public_contacts', operationId: operation.id });
  for (const route of snapshot.routes) {
    const live = route.movements.length === 0 || route.movements.some((m) => ACTIVE.has(m.status));
    // Its last recorded change (a write time: the time is known), by the one stale rule.
    const stale = isStale(route.updatedAt, true, operation.timeZone, operation.staleAfterHours, now);
    if (operation.status === 'active' && live && stale)
      items.push({ kind: 'stale_route', routeId: route.id, since: route.updatedAt });
    for (const m of route.movements) {
      const base = { routeId: route.id, movementId: m.id };
      const { registered, departed } = m.counts;
      const people = Math.max(registered.total ?? 0, departed.total ?? 0);
      if (m.capacity !== null && people > m.capacity && m.status !== 'cancelled')
        items.push({ kind: 'over_capacity', ...base, seats: m.capacity, people });
      if (registered.total !== null && departed.total !== null && departed.total > registered.total)
        items.push({ kind: 'departed_above_registered', ...base });
      if ((m.status === 'departed' || m.status === 'arrived') && departed.total === null)
        items.push({ kind: 'figures_missing_for_status', ...base });
      if ((m.status === 'planned' || m.status === 'boarding') && (departed.total ?? 0) > 0)
        items.push({ kind: 'departed_figures_before_departure', ...base });
      // Departed figures on a planned movement are flagged above; arrivals on one not arrived here.
      if (statusDisagreement(m.status, m.counts) === 'arrived')
        items.push({ kind: 'status_behind_figures', ...base, stage: 'arrived', status: m.status });
      if (m.status === 'planned' && m.scheduledDate !== null && m.scheduledDate < today)
        items.push({ kind: 'past_date_planned', ...base, date: m.scheduledDate });
    }
  }
  items.push(...translationItems(snapshot));
  return items;
}

/** Movements per status for each route: the dashboard's table. */
export function statusCounts(snapshot: Snapshot) {
  return snapshot.routes.map((route) => ({
    routeId: route.id,
    byStatus: Object.fromEntries(
      MOVEMENT_STATUSES.map((s) => [s, route.movements.filter((m) => m.status === s).length]),
    ) as Record<(typeof MOVEMENT_STATUSES)[number], number>,
  }));
}
