#!/bin/sh
# How Corridor's long-running processes start (npm start, npm run start:cluster,
# deploy/corridor.service): node with the memory settings fit for a 1 GB server,
# exec'd so that no shell stays behind as a parent (docs/operations.md, "Memory").
#   NODE_HEAP_MB        V8 old-generation limit per process, MB     (default 256)
#   NODE_SEMI_SPACE_MB  V8 young-generation semi-space, MB: 1,2,4…  (default 2)
#   MALLOC_ARENA_MAX    glibc malloc arenas (the threadpool's zlib)  (default 2)
# The defaults are src/config.ts's (test/unit/node-memory.test.ts checks they agree).
# usage: sh scripts/start.sh server | cluster   (then what scripts/run-built.mjs takes)
set -eu
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec node --max-old-space-size="${NODE_HEAP_MB:-256}" --max-semi-space-size="${NODE_SEMI_SPACE_MB:-2}" \
  "$(dirname "$0")/run-built.mjs" "$@"
