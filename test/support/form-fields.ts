// The fields a page's form would submit, read from its HTML: every <input>'s
// name and value (checkboxes only when checked), as a browser would send them.
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m
    ? m[1]!
        .replace(/&quot;/g, '"')
        .replace(/&#x27;/g, "'")
        .replace(/&amp;/g, '&')
    : undefined;
};

export function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, 'name');
    if (!name || name === '_csrf') continue;
    const type = attr(tag, 'type');
    if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(tag)) continue;
    fields[name] = attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : '');
  }
  return fields;
}
