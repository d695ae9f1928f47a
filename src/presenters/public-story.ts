// The one-sentence status at the top of the public page, in the reader's
// language: the clauses chosen by domain/headline-story.ts, each worded with an
// ICU message of the `story` catalogue area (plurals per language). A hidden or
// unreported figure is said as such ("Arrived home: not reported"), never as 0.
import { type HeadlineStory, type StoryClause, headlineStory } from '../domain/headline-story.ts';
import type { PublicFigure, PublicOperation } from '../domain/privacy.ts';
import { type Lang, localized, t } from '../i18n/index.ts';
import { formatDay } from './format.ts';
import { figureText } from './public-format.ts';

/** A figure that can stand before a noun ("467", "at least 12", "fewer than 5"). */
const countable = (f: PublicFigure) => f.kind === 'value' || f.kind === 'at_least' || f.kind === 'fewer_than';
const countOf = (f: PublicFigure) =>
  f.kind === 'value' || f.kind === 'at_least' ? f.value : f.kind === 'fewer_than' ? f.threshold : 0;

const markerLabel = {
  home: 'headline.arrived',
  left: 'headline.on_the_way',
  stage_not_reported: 'headline.stage_not_reported',
  waiting: 'headline.waiting',
} as const;

function clauseText(lang: Lang, c: StoryClause): string {
  const amount = figureText(lang, c.figure);
  if (!countable(c.figure)) return t(lang, 'story.marker', { label: t(lang, markerLabel[c.kind]), amount });
  const day = (d: string | null) => (d ? formatDay(lang, d) : t(lang, 'story.date_not_reported'));
  switch (c.kind) {
    case 'home':
      return t(lang, 'story.home', { amount });
    case 'left':
      if (c.movement)
        return t(lang, 'story.left_one', {
          amount,
          date: day(c.movement.day),
          route: localized(c.movement.route, lang),
        });
      return c.movements > 1
        ? t(lang, 'story.on_the_way_movements', { amount, movements: c.movements })
        : t(lang, 'story.on_the_way', { amount });
    case 'stage_not_reported':
      if (c.movement)
        // Registered on a movement that left, no departed figure: how many left is not known.
        return t(lang, c.movement.arrived ? 'story.arrived_not_counted' : 'story.listed_left_one', {
          amount,
          date: day(c.movement.day),
          route: localized(c.movement.route, lang),
        });
      return t(lang, 'story.stage_not_reported', { amount });
    case 'waiting':
      if (!c.next) return t(lang, 'story.waiting', { amount });
      return t(lang, c.next.overdue ? 'story.waiting_overdue' : 'story.waiting_next', {
        amount,
        date: day(c.next.day),
        route: localized(c.next.route, lang),
      });
  }
}

/** The sentence as text, and its parts for the page (the total is emphasised). */
export function presentStory(op: PublicOperation, lang: Lang, story: HeadlineStory = headlineStory(op)) {
  const amount = figureText(lang, story.total);
  const total = countable(story.total)
    ? t(lang, 'story.total', { amount, count: countOf(story.total) })
    : t(lang, 'story.total_unknown', { amount });
  if (story.clauses.length === 0) return { text: total, total, clauses: [] as string[] };
  const clauses = story.clauses.map((c) => clauseText(lang, c));
  return { text: t(lang, 'story.sentence', { total, clauses: clauses.join('; ') }), total, clauses };
}
