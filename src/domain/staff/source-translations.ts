// The dashboard's "needs translation" items for sources: each source an operation
// cites (routes, movements, figures, current notices) whose outlet or title lacks a
// language, with the languages it lacks (the union of both: the one source form fills
// them in). Pure, from the snapshot's sources.
import type { Lang } from '../../i18n/languages.ts';
import type { SnapshotSource } from '../snapshot.ts';
import { type AttentionItem, missingLanguages } from './attention-item.ts';
import { sourceTexts } from './sources.ts';

export function sourceTranslationItems(sources: Iterable<SnapshotSource>): AttentionItem[] {
  const items: AttentionItem[] = [];
  // By id: the dashboard's SQL (dashboard-attention.ts) lists them in that order.
  for (const s of [...sources].sort((a, b) => a.id - b.id)) {
    const { titles, outlets } = sourceTexts(s);
    const lacking = new Set<Lang>([...missingLanguages(outlets), ...missingLanguages(titles)]);
    if (lacking.size)
      items.push({ kind: 'needs_translation', what: 'source', sourceId: s.id, missing: [...lacking].sort() });
  }
  return items;
}
