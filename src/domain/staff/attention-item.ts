// The shape of a dashboard attention item and the one rule for "a text lacks a
// language", apart from attention.ts so that the item builders (attention.ts,
// source-translations.ts) import them without importing each other.
import { type Lang, LANGUAGES, type Localized } from '../../i18n/languages.ts';
import type { MovementStatus } from '../movement-status.ts';

export type AttentionItem =
  /** The public outputs still show the last safe copy: the audit refused newer figures since `since`. */
  | { kind: 'public_not_updated'; operationId: number; since: Date }
  | { kind: 'stale_route'; routeId: number; since: Date }
  | { kind: 'over_capacity'; routeId: number; movementId: number; seats: number; people: number }
  | { kind: 'departed_above_registered'; routeId: number; movementId: number }
  | { kind: 'figures_missing_for_status'; routeId: number; movementId: number }
  | { kind: 'departed_figures_before_departure'; routeId: number; movementId: number }
  | { kind: 'past_date_planned'; routeId: number; movementId: number; date: string }
  | {
      kind: 'status_behind_figures';
      routeId: number;
      movementId: number;
      stage: 'arrived';
      status: MovementStatus;
    }
  | { kind: 'no_public_contacts'; operationId: number }
  /** A public text written in some languages and not in `missing`: its form has every language. */
  | {
      kind: 'needs_translation';
      what: 'movement_label' | 'movement_note' | 'route_note' | 'leg_note' | 'notice' | 'source';
      routeId?: number;
      movementId?: number;
      noticeId?: number;
      sourceId?: number;
      missing: Lang[];
    };

/** The languages a text written in at least one language lacks (none for an empty text). */
export function missingLanguages(text: Localized | null | undefined): Lang[] {
  const written = (l: Lang) => (text?.[l] ?? '').trim() !== '';
  return LANGUAGES.some(written) ? LANGUAGES.filter((l) => !written(l)) : [];
}
