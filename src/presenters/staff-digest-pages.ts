// Whole-page view models of the staff digest pages: the preview of any day's
// digest (as sent, or live) and the staff recipients list.
import type { Permissions } from '../domain/auth/permissions.ts';
import type { DigestContent } from '../domain/digest/content.ts';
import type { DigestPreview, OperationChoice } from '../domain/digest/preview.ts';
import { type Lang, LANGUAGES, localized, t } from '../i18n/index.ts';
import { presentDigest } from './digest.ts';
import { formatDateTime } from './format.ts';
import { languageChoices } from './languages.ts';

type Audience = 'public' | 'staff';

const operationOptions = (lang: Lang, { op, all }: OperationChoice) =>
  all.map((o) => ({ slug: o.slug, name: localized(o.names, lang), selected: o.id === op.id }));

export function presentDigestPreviewPage(
  lang: Lang,
  preview: DigestPreview,
  _permissions: Permissions,
  view: {
    mailLang: Lang;
    audience: Audience;
    version: DigestContent;
    links: Parameters<typeof presentDigest>[2];
    text: string;
  },
) {
  const { op, stored, day, deliveries } = preview;
  return {
    title: t(lang, 'digest.preview_title'),
    operations: operationOptions(lang, preview),
    day,
    languages: LANGUAGES.map((l) => ({ code: l, label: l.toUpperCase(), selected: l === view.mailLang })),
    audiences: (['public', 'staff'] as const).map((a) => ({
      code: a,
      label: t(lang, `digest.audience.${a}`),
      selected: a === view.audience,
    })),
    origin: stored
      ? t(lang, 'digest.preview_as_sent', {
          time: formatDateTime(lang, new Date(stored.public.generatedAt), op.timeZone),
        })
      : t(lang, 'digest.preview_live'),
    deliveries: deliveries ? Object.entries(deliveries).map(([status, n]) => ({ status, n })) : null,
    digest: presentDigest(view.version, view.mailLang, view.links),
    text: view.text,
  };
}

export function presentRecipientsPage(
  lang: Lang,
  data: OperationChoice & { recipients: { status: string }[] },
  _permissions: Permissions,
  errors?: Record<string, string>,
) {
  return {
    title: t(lang, 'digest.recipients_title'),
    operation: data.op.slug,
    operations: operationOptions(lang, data),
    recipients: data.recipients.map((r) => ({
      ...r,
      status: t(lang, `subscriber.status.${r.status}`),
      active: r.status === 'active',
    })),
    languages: languageChoices(lang),
    empty: data.recipients.length === 0,
    errors: errors ? Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, t(lang, v)])) : undefined,
  };
}
