// Handlebars, compiled once at start. Templates hold no logic: presenters hand
// them finished strings; `t` only looks a key up in the page's language.
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { DEFAULT_LANG, type Lang, directionOf, isLang, t } from './i18n/index.ts';
import { viewsDir } from './paths.ts';
import { languageChoices } from './presenters/languages.ts';

export { viewsDir };

export type Renderer = {
  /** Render `name` (e.g. "public/status") inside `layout` (default "main"; null for none). */
  render(name: string, model: Record<string, unknown>, layout?: string | null): string;
  has(name: string): boolean;
};

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : e.name.endsWith('.hbs') ? [full] : [];
  });
}

export function createRenderer(dir = viewsDir): Renderer {
  const hbs = Handlebars.create();
  hbs.registerHelper('t', function (this: unknown, key: string, options: Handlebars.HelperOptions) {
    // Handlebars types the render's data as any: the page's model is its root.
    const root = (options.data as { root?: { lang?: unknown } } | undefined)?.root;
    const lang: Lang = isLang(root?.lang) ? root.lang : DEFAULT_LANG;
    return t(lang, key, options.hash ?? {});
  });
  // <html lang="{{lang}}"{{dirAttr lang}}>: dir="rtl" for a right-to-left language of the
  // registry; nothing for left-to-right, the default.
  hbs.registerHelper('dirAttr', (lang: unknown) =>
    isLang(lang) && directionOf(lang) === 'rtl' ? new Handlebars.SafeString(' dir="rtl"') : '',
  );
  // The sign-up partial works in any page: the presenter's list if it gave one, else the registry's.
  hbs.registerHelper('languageChoices', (lang: unknown, given: unknown): unknown =>
    Array.isArray(given) ? given : languageChoices(isLang(lang) ? lang : DEFAULT_LANG),
  );
  const templates = new Map<string, Handlebars.TemplateDelegate>();
  for (const file of walk(dir)) {
    const name = path
      .relative(dir, file)
      .replace(/\\/g, '/')
      .replace(/\.hbs$/, '');
    const source = fs.readFileSync(file, 'utf8');
    if (name.startsWith('partials/')) hbs.registerPartial(name.slice('partials/'.length), source);
    else templates.set(name, hbs.compile(source, { strict: false }));
  }
  const get = (name: string) => {
    const tpl = templates.get(name);
    if (!tpl) throw new Error(`No template "${name}"`);
    return tpl;
  };
  return {
    has: (name) => templates.has(name),
    render(name, model, layout = 'layouts/main') {
      const body = get(name)(model);
      return layout ? get(layout)({ ...model, body }) : body;
    },
  };
}
