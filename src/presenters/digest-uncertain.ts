// The uncertain-deliveries page: one line per delivery, in the staff member's language.
import type { UncertainDelivery } from '../domain/digest/resend.ts';
import { type Lang, t } from '../i18n/index.ts';
import { formatDateTime } from './format.ts';

export function presentUncertain(
  lang: Lang,
  input: {
    timeZone: string;
    operation: { slug: string; name: string };
    operations: { slug: string; name: string; selected: boolean }[];
    deliveries: UncertainDelivery[];
    canResend: boolean;
    resent?: number;
  },
) {
  return {
    title: t(lang, 'ops.uncertain.title'),
    operation: input.operation.slug,
    operations: input.operations,
    empty: input.deliveries.length === 0,
    canResend: input.canResend && input.deliveries.some((d) => d.email),
    resent: input.resent === undefined ? undefined : t(lang, 'ops.uncertain.resent', { count: input.resent }),
    deliveries: input.deliveries.map((d) => ({
      id: d.id,
      day: d.day,
      recipient: d.email ?? t(lang, 'ops.uncertain.address_removed'),
      resendable: Boolean(d.email),
      version: `${t(lang, `digest.audience.${d.audience}`)} · ${d.language.toUpperCase()}`,
      handedOver: d.sendStartedAt ? formatDateTime(lang, d.sendStartedAt, input.timeZone) : '—',
      messageId: d.messageId ?? '',
    })),
  };
}
