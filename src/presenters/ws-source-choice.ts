// The source choice on the count editor and the CSV upload form: nothing
// pre-selected, "our own desk's record" naming the desk and the officer, the
// known sources, and the fields to describe a new one on the same form.
import { DESK_SOURCE } from '../domain/staff/source-choice.ts';
import { type Lang, type LocalizedText, localized, t } from '../i18n/index.ts';
import { formatDay } from './format.ts';
import type { FieldSpec } from './ws-form.ts';

type SourceRow = { id: number; outlet: string; title: string; publishedOn: string };

export function sourceChoiceFields(
  lang: Lang,
  input: {
    sources: SourceRow[];
    authority: LocalizedText | null;
    userName: string | undefined;
    blankLabel?: string;
    hint?: string;
  },
): FieldSpec[] {
  const desk = localized(input.authority ?? { en: t(lang, 'ws.counts.desk_default') }, lang);
  return [
    {
      name: 'source',
      label: t(lang, 'ws.counts.source'),
      kind: 'select',
      wide: true,
      hint: input.hint,
      options: [
        { value: '', label: input.blankLabel ?? t(lang, 'ws.counts.source_choose') },
        {
          value: DESK_SOURCE,
          label: t(lang, 'ws.counts.source_desk', { desk, user: input.userName ?? t(lang, 'ws.someone') }),
        },
        ...input.sources.map((s) => ({
          value: String(s.id),
          label: `${s.outlet} — ${s.title} (${formatDay(lang, s.publishedOn)})`,
        })),
      ],
    },
    {
      name: 'new_source_outlet',
      label: t(lang, 'ws.counts.new_source_outlet'),
      hint: t(lang, 'ws.counts.new_source_hint'),
    },
    { name: 'new_source_title', label: t(lang, 'ws.counts.new_source_title') },
    { name: 'new_source_url', label: t(lang, 'ws.counts.new_source_url'), kind: 'url' },
  ];
}
