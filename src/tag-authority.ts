// The tag authority used outside production, in a module of its own: the public
// renderer (also loaded by the projection worker) needs it without config.ts,
// whose zod schema would load ~100 of zod's modules into the worker's isolate.

/** Outside production only: ids minted under it are not meant to be kept. */
export const DEVELOPMENT_TAG_AUTHORITY = 'corridor.localhost,2026';
