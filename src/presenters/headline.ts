// The reconciled headline and the priority-group table of the status page, as
// view models (views/partials/headline.hbs, priority-groups.hbs). The figures
// come from the public projection (domain/headline.ts through privacy.ts); this
// only words them.
import type { PublicFigure, PublicOperation } from '../domain/privacy.ts';
import { type Lang, t } from '../i18n/index.ts';
import { figureCell, figureValue } from './public-format.ts';

const isZero = (f: PublicFigure) => f.kind === 'value' && f.value === 0;

/** The total (on lists, on the way or home), then the buckets that add up to it (stage not reported only when there are any). */
export function presentHeadline(op: PublicOperation, lang: Lang) {
  const buckets = [
    { key: 'arrived', label: t(lang, 'headline.arrived'), figure: op.totals.arrived },
    { key: 'on-the-way', label: t(lang, 'headline.on_the_way'), figure: op.totals.onTheWay },
    { key: 'waiting', label: t(lang, 'headline.waiting'), figure: op.totals.waiting },
    {
      key: 'not-reported',
      label: t(lang, 'headline.stage_not_reported'),
      figure: op.totals.stageNotReported,
    },
  ].filter((b) => b.key !== 'not-reported' || !isZero(b.figure));
  return {
    total: { label: t(lang, 'headline.total'), ...figureCell(lang, op.totals.registered) },
    buckets: buckets.map(({ key, label, figure }) => ({ key, label, ...figureCell(lang, figure) })),
  };
}

/** Rows per priority group over published movements; "X of Y home" only where like is compared with like. */
export function presentGroups(op: PublicOperation, lang: Lang) {
  const groups = op.groups.filter((g) => g.group !== 'notBrokenDown');
  if (groups.length === 0) return null;
  const rest = op.groups.find((g) => g.group === 'notBrokenDown');
  const restCount = rest
    ? [rest.figures.registered, rest.figures.departed].find((f) => f.kind !== 'not_reported')
    : undefined;
  return {
    rows: [
      ...groups.map((g) => ({
        label: t(lang, `group.${g.group}`),
        registered: figureCell(lang, g.figures.registered),
        departed: figureCell(lang, g.figures.departed),
        arrived: figureCell(lang, g.figures.arrived),
        progress: g.comparable ? progress(lang, g.figures.arrived, g.figures.registered) : null,
      })),
      ...(rest && restCount && !isZero(restCount)
        ? [
            {
              label: t(lang, 'groups.no_breakdown_row'),
              registered: figureCell(lang, rest.figures.registered),
              departed: figureCell(lang, rest.figures.departed),
              arrived: figureCell(lang, rest.figures.arrived),
              progress: null,
            },
          ]
        : []),
    ],
    note:
      restCount && !isZero(restCount)
        ? restCount.kind === 'value'
          ? t(lang, 'groups.no_breakdown', { count: restCount.value })
          : t(lang, 'groups.no_breakdown_hidden')
        : null,
  };
}

/** "120 of 150 home": arrivals of the group against its registered figure on the same movements. */
function progress(lang: Lang, arrived: PublicFigure, registered: PublicFigure) {
  const a = figureValue(arrived);
  const base = figureValue(registered);
  if (a === null || base === null || base === 0 || a > base) return null;
  return {
    text: t(lang, 'groups.progress', { arrived: a, total: base }),
    width: Math.round((a / base) * 1000) / 10,
  };
}
