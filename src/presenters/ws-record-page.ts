// The page of one catalogue record with its one form (a place, a leg): title, crumbs,
// the "saved" note or the refused form's banners, and the form, read-only for whoever
// may not edit it. Pages with more (lists, several forms) build on the same fields.
import { type Lang, t } from '../i18n/index.ts';
import { type Focus, form } from './ws-catalog.ts';
import type { FieldSpec } from './ws-form.ts';
import { invalidBanner } from './ws-form.ts';

/** What every workspace record page shows above its content. */
export function pageHeader(
  lang: Lang,
  input: { title: string; crumbs?: { href: string; label: string }[]; saved?: string; focus?: Focus },
) {
  return {
    title: input.title,
    crumbs: input.crumbs,
    saved: input.saved,
    invalid: invalidBanner(lang, input.focus?.state.errors),
    conflict: input.focus?.conflict,
  };
}

export function presentRecordPage(
  lang: Lang,
  input: {
    title: string;
    crumbs?: { href: string; label: string }[];
    saved?: string;
    focus?: Focus;
    form: {
      key: string;
      action: string;
      specs: FieldSpec[];
      values: Record<string, string>;
      version: number;
      canEdit: boolean;
    };
  },
) {
  const { key, canEdit, ...rest } = input.form;
  return {
    ...pageHeader(lang, input),
    forms: [form(lang, key, { ...rest, submit: t(lang, 'ws.save'), readOnly: !canEdit }, input.focus)],
  };
}
