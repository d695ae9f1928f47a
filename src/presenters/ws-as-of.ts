// The staff "as of" view (src/routes/staff/as-of.ts): an operation's figures and
// movement states as of a chosen moment, exact (staff see every figure). Formatting
// and words here; the template only places them.
import { localDateTime } from '../domain/calendar.ts';
import type { Snapshot, SnapshotMovement } from '../domain/snapshot.ts';
import { type Lang, formatNumber, localized, t } from '../i18n/index.ts';
import { formatDateTimeAttributive } from './format.ts';
import { momentText } from './public-as-of.ts';
import { zoneName } from './public-format.ts';

type Input = { id: number; timeZone: string; at: Date | null; raw: unknown; snapshot: Snapshot | null };

const STAGES = ['registered', 'departed', 'arrived'] as const;

const figure = (lang: Lang, v: number | null) =>
  v === null ? t(lang, 'asof_view.unknown') : formatNumber(lang, v);

function movementRow(lang: Lang, m: SnapshotMovement, tz: string) {
  return {
    label: m.labels[lang] ?? m.labels.en ?? m.label,
    status: t(lang, `movement.status.${m.status}`),
    figures: STAGES.map((s) => figure(lang, m.counts[s].total)),
    asOf: m.figuresAsOf ? momentText(lang, m.figuresAsOf, m.figuresAsOfTimeKnown, tz) : '—',
  };
}

export function presentStateAsOf(lang: Lang, x: Input) {
  const { timeZone: tz, at, snapshot } = x;
  const name = snapshot ? localized(snapshot.operation.names, lang) : '';
  const movements = snapshot?.routes.flatMap((r) => r.movements) ?? [];
  const live = movements.filter((m) => m.status !== 'cancelled');
  // A total is a number only when every movement reports it (else "not reported").
  const totals = STAGES.map((s) =>
    live.length && live.every((m) => m.counts[s].total !== null)
      ? formatNumber(
          lang,
          live.reduce((sum, m) => sum + m.counts[s].total!, 0),
        )
      : t(lang, 'asof_view.unknown'),
  );
  return {
    title: name ? `${t(lang, 'asof_view.title')}: ${name}` : t(lang, 'asof_view.title'),
    heading: t(lang, 'asof_view.title'),
    crumbs: [
      { href: '/staff/operations', label: t(lang, 'ws.operations.title') },
      ...(name ? [{ href: `/staff/operations/${x.id}`, label: name }] : []),
    ],
    intro: t(lang, 'asof_view.intro'),
    form: {
      action: `/staff/operations/${x.id}/as-of`,
      label: t(lang, 'asof_view.at', { zone: zoneName(lang, tz, at ?? new Date(0)) }),
      value: typeof x.raw === 'string' ? x.raw : at ? localDateTime(at, tz) : '',
      submit: t(lang, 'asof_view.show'),
      error: at ? null : t(lang, 'asof_view.bad_time'),
    },
    now: { href: `/staff/operations/${x.id}/as-of`, label: t(lang, 'asof_view.now') },
    showing: at ? t(lang, 'asof_view.showing', { time: formatDateTimeAttributive(lang, at, tz) }) : null,
    empty: snapshot && movements.length === 0 ? t(lang, 'asof_view.none_yet') : null,
    head: {
      route: t(lang, 'asof_view.route'),
      movement: t(lang, 'asof_view.movement'),
      status: t(lang, 'asof_view.status'),
      stages: STAGES.map((s) => t(lang, `stage.${s}`)),
      asOf: t(lang, 'asof_view.figures_as_of'),
      totals: t(lang, 'asof_view.totals'),
    },
    totals,
    routes: (snapshot?.routes ?? [])
      .filter((r) => r.movements.length > 0)
      .map((r) => ({
        name: localized(r.names, lang),
        movements: r.movements.map((m) => movementRow(lang, m, tz)),
      })),
  };
}
