// A digest as a message: rendered once per (audience, language, routes) and
// addressed per recipient (unsubscribe link, headers, the delivery's Message-ID).
import type { Lang } from '../../i18n/index.ts';
import type { OutgoingMail } from '../../mail/mailer.ts';
import { fromWithName } from '../../mail/from.ts';
import { signUpPath } from '../../public/urls.ts';
import type { DigestContent } from './content-model.ts';

/** Renders one digest (subject, HTML, text) — injected so the domain stays free of templates. */
export type DigestComposer = (input: { content: DigestContent; lang: Lang; unsubscribeUrl: string }) => {
  subject: string;
  html: string;
  text: string;
};

const PLACEHOLDER = 'corridor-unsubscribe-placeholder';

/** A subscriber's unsubscribe link (and List-Unsubscribe), in their language: /ru/subscribe/unsubscribe/<token>. */
export const unsubscribeUrl = (base: string, token: string, lang: Lang) =>
  `${base.replace(/\/$/, '')}${signUpPath(lang, { page: 'unsubscribe', token })}`;

/** Renders each (audience, language, routes) once per drain; only the unsubscribe link differs. */
export function composerCache(compose: DigestComposer, max = 64) {
  const cache = new Map<string, ReturnType<DigestComposer>>();
  return (content: DigestContent, lang: Lang, routeKey: string, url: string) => {
    const key = `${content.audience}|${lang}|${routeKey}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = compose({ content, lang, unsubscribeUrl: PLACEHOLDER });
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(key, hit);
    }
    return {
      subject: hit.subject,
      html: hit.html.replaceAll(PLACEHOLDER, url),
      text: hit.text.replaceAll(PLACEHOLDER, url),
    };
  };
}

/** `messageId` is the full `<…@…>` form, fixed when the delivery was created. */
export function digestMail(
  config: { MAIL_FROM: string; PUBLIC_BASE_URL: string },
  parts: { subject: string; html: string; text: string },
  meta: {
    to: string;
    lang: string;
    slug: string;
    messageId: string;
    unsubscribeUrl: string;
    /** The publishing authority, in the recipient's language: the From name. */
    fromName?: string | null;
  },
): OutgoingMail {
  const host = new URL(config.PUBLIC_BASE_URL).hostname;
  return {
    from: fromWithName(config.MAIL_FROM, meta.fromName),
    to: meta.to,
    ...parts,
    messageId: meta.messageId,
    language: meta.lang,
    headers: {
      'List-Unsubscribe': `<${meta.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `Corridor ${meta.slug} digest <${meta.slug}.digest.${host}>`,
      'Auto-Submitted': 'auto-generated',
    },
  };
}
