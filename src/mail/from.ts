// The From header's display name: the publishing authority (in the reader's language)
// in front of MAIL_FROM's address, so a digest says who sends it. Quoted per RFC 5322.
export function fromWithName(mailFrom: string, name: string | null | undefined): string {
  if (!name?.trim()) return mailFrom;
  const match = /<([^<>]+)>\s*$/.exec(mailFrom);
  const address = (match ? match[1]! : mailFrom).trim();
  const quoted = name
    .replace(/[\r\n]+/g, ' ')
    .trim()
    .replace(/(["\\])/g, '\\$1');
  return `"${quoted}" <${address}>`;
}
