// The workspace catalogue's use cases, one file per aggregate: operations.ts,
// places.ts, evacuation-routes.ts (routes and legs), notices.ts. Each versioned
// edit goes through editVersioned (edit-versioned.ts). Re-exported here for callers
// that take the catalogue as a whole.
export * from './operations.ts';
export * from './places.ts';
export * from './evacuation-routes.ts';
export * from './notices.ts';
export type { Saved } from './edit-versioned.ts';
