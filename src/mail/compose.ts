// Turning digest content and sign-up confirmations into message parts with the
// templates (views/email/). The domain receives these as injected functions.
import type { DigestComposer } from '../domain/digest/deliver.ts';
import { type Lang, t } from '../i18n/index.ts';
import { presentDigest } from '../presenters/digest.ts';
import type { Renderer } from '../views.ts';

export function createDigestComposer(renderer: Renderer, publicBaseUrl: string): DigestComposer {
  const base = publicBaseUrl.replace(/\/$/, '');
  return ({ content, lang, unsubscribeUrl }) => {
    const model = presentDigest(content, lang, { statusUrl: `${base}/${lang}/`, unsubscribeUrl });
    return {
      subject: model.subject,
      html: renderer.render('email/digest', model, null),
      text: renderer.render('email/digest-text', model, null).replace(/\n{3,}/g, '\n\n'),
    };
  };
}

export type ConfirmationComposer = (input: { lang: Lang; operation: string; confirmUrl: string }) => {
  subject: string;
  html: string;
  text: string;
};

export function createConfirmationComposer(renderer: Renderer): ConfirmationComposer {
  return ({ lang, operation, confirmUrl }) => {
    const model = {
      lang,
      subject: t(lang, 'subscribe.mail.subject', { operation }),
      body: t(lang, 'subscribe.mail.body', { operation }),
      action: t(lang, 'subscribe.mail.action'),
      button: t(lang, 'subscribe.confirm_button'),
      ignore: t(lang, 'subscribe.mail.ignore'),
      confirmUrl,
    };
    return {
      subject: model.subject,
      html: renderer.render('email/confirm', model, null),
      text: renderer.render('email/confirm-text', model, null),
    };
  };
}
