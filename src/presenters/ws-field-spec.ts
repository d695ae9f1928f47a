// The description of one staff form field, apart from ws-form.ts so that the field
// builders (ws-localized-fields.ts) and the form presenter import it without importing
// each other.
export type FieldKind = 'text' | 'number' | 'date' | 'datetime' | 'select' | 'textarea' | 'checkbox' | 'url';
export type FieldSpec = {
  name: string;
  label: string;
  kind?: FieldKind;
  options?: { value: string; label: string }[];
  hint?: string;
  wide?: boolean;
  /** The language the value is written in (one field of a localized text). */
  fieldLang?: string;
};
