// The product's closed vocabularies, listed once: the schema (db/schema.ts) builds
// its column enums from these, forms validate against them, presenters translate
// them (i18n keys end with the value). Adding a value here needs a migration
// (npm run db:generate) and a label in every catalogue.
export { ROLES } from './auth/roles.ts';
export const OPERATION_STATUSES = ['active', 'closed'] as const;
export const PLACE_KINDS = ['city', 'airport', 'border_crossing', 'country'] as const;
export const LEG_MODES = ['bus', 'flight', 'road', 'rail', 'ferry', 'on_foot'] as const;
export const CROSSING_STATUSES = ['open', 'restricted', 'closed'] as const;
export const MOVEMENT_KINDS = ['convoy', 'flight', 'batch'] as const;
export const MOVEMENT_STATUSES = ['planned', 'boarding', 'departed', 'arrived', 'cancelled'] as const;
export const CONTACT_KINDS = [
  'hotline',
  'messenger',
  'email',
  'embassy',
  'consulate',
  'registration',
] as const;
export const IMPORT_STATUSES = ['checked', 'applying', 'applied', 'partial', 'failed'] as const;
export const SUBSCRIBER_STATUSES = ['pending', 'active', 'unsubscribed'] as const;
export const AUDIENCES = ['public', 'staff'] as const;

export type OperationStatus = (typeof OPERATION_STATUSES)[number];
export type PlaceKind = (typeof PLACE_KINDS)[number];
export type LegMode = (typeof LEG_MODES)[number];
export type CrossingStatus = (typeof CROSSING_STATUSES)[number];
export type MovementKind = (typeof MOVEMENT_KINDS)[number];
export type MovementStatus = (typeof MOVEMENT_STATUSES)[number];
export type ContactKind = (typeof CONTACT_KINDS)[number];
