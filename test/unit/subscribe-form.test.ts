// The sign-up partial is self-contained: included in any page, it needs only the
// page's language, and offers that language first.
import { describe, expect, it } from 'vitest';
import { createRenderer } from '../../src/views.ts';

describe('subscribe-form partial', () => {
  const renderer = createRenderer();
  it.each([
    ['kk', 'Жазылу', ['kk', 'ru', 'en']],
    ['ru', 'Подписаться', ['ru', 'kk', 'en']],
    ['en', 'Subscribe', ['en', 'kk', 'ru']],
  ] as const)('renders in %s with nothing but the language', (lang, button, order) => {
    const html = renderer.render('public/subscribe', { lang }, null);
    expect(html).toContain(`action="/${lang}/subscribe"`); // answered in the page's language
    expect(html).toContain('name="email"');
    expect(html).toContain(`>${button}</button>`);
    expect([...html.matchAll(/<option value="(\w+)" lang="\1"/g)].map((m) => m[1])).toEqual(order);
    expect(html).toContain('name="scope" value="all" checked');
  });
});
