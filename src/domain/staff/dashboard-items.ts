// The attention relation's rows (src/store/repositories/dashboard-attention.ts) as the
// domain's AttentionItem (attention.ts): one case per kind. A kind added there needs
// its case here; an unknown kind is a programming error, not a page to show.
import type { Lang } from '../../i18n/languages.ts';
import type { AttentionRow } from '../../store/repositories/dashboard.ts';
import type { MovementStatus } from '../movement-status.ts';
import type { AttentionItem } from './attention.ts';

type TranslationWhat = Extract<AttentionItem, { kind: 'needs_translation' }>['what'];

export function itemOfRow(row: AttentionRow): AttentionItem {
  const movement = () => ({ routeId: row.route_id!, movementId: row.movement_id! });
  switch (row.kind) {
    case 'no_public_contacts':
      return { kind: 'no_public_contacts', operationId: row.operation_id };
    case 'stale_route':
      return { kind: 'stale_route', routeId: row.route_id!, since: new Date(row.since_ms!) };
    case 'over_capacity':
      return { kind: 'over_capacity', ...movement(), seats: row.seats!, people: row.people! };
    case 'departed_above_registered':
    case 'figures_missing_for_status':
    case 'departed_figures_before_departure':
      return { kind: row.kind, ...movement() };
    case 'status_behind_figures':
      return {
        kind: 'status_behind_figures',
        ...movement(),
        stage: 'arrived',
        status: row.status as MovementStatus,
      };
    case 'past_date_planned':
      return { kind: 'past_date_planned', ...movement(), date: row.day! };
    case 'needs_translation':
      return {
        kind: 'needs_translation',
        what: row.what as TranslationWhat,
        ...(row.route_id !== null ? { routeId: row.route_id } : {}),
        ...(row.movement_id !== null ? { movementId: row.movement_id } : {}),
        ...(row.notice_id !== null ? { noticeId: row.notice_id } : {}),
        ...(row.source_id !== null ? { sourceId: row.source_id } : {}),
        missing: (row.missing ?? []) as Lang[],
      };
    default:
      throw new Error(`attention kind without a mapping: ${row.kind}`);
  }
}
