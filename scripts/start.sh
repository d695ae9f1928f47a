#!/bin/sh
# How Corridor's long-running processes start (npm start, npm run start:cluster,
# deploy/corridor.service): node with the memory settings fit for a 1 GB server,
# exec'd so that no shell stays behind as a parent (docs/operations.md, "Memory").
#   NODE_HEAP_MB          V8 old-generation limit per process, MB     (default 256)
#   NODE_SEMI_SPACE_MB    V8 young-generation semi-space, MB: 1,2,4…  (default 2)
#   PGLITE_WASM_TIER_UP   true = V8 optimises PGlite's hot WASM code;
#                         false = --liftoff-only, ~65 MB less malloc  (default false)
#   NODE_OPTIMIZE_FOR_SIZE true = V8's --optimize-for-size: smaller heaps
#                         and code, some CPU                         (default false)
#   NODE_HEAP_GROWING_PERCENT  V8 heap growth past what is live after a full
#                         collection, %; 0 = V8's own (up to 30 %)  (default 0)
#   NODE_LEAN_CODE        true = --no-sparkplug --bytecode-old-age=1: V8 keeps
#                         less compiled code                        (default true)
#   MALLOC_ARENA_MAX      glibc malloc arenas (the threadpool's zlib)  (default 2)
#   MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_  blocks of this size or more are
#                         mmap'd (given back when freed); free memory above it at the
#                         top of the heap is given back            (default 131072 each)
# The defaults are src/config.ts's (test/unit/node-memory.test.ts checks they agree).
# usage: sh scripts/start.sh server | cluster   (then what scripts/run-built.mjs takes)
set -eu
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-131072}"
wasm="--liftoff-only"
if [ "${PGLITE_WASM_TIER_UP:-false}" = true ]; then wasm=""; fi
size=""
if [ "${NODE_OPTIMIZE_FOR_SIZE:-false}" = true ]; then size="--optimize-for-size"; fi
growing=""
if [ "${NODE_HEAP_GROWING_PERCENT:-0}" != 0 ]; then growing="--heap-growing-percent=${NODE_HEAP_GROWING_PERCENT}"; fi
lean=""
if [ "${NODE_LEAN_CODE:-true}" = true ]; then lean="--no-sparkplug --bytecode-old-age=1"; fi
# $wasm, $size, $growing and $lean unquoted on purpose: empty = no argument.
# shellcheck disable=SC2086
exec node --max-old-space-size="${NODE_HEAP_MB:-256}" --max-semi-space-size="${NODE_SEMI_SPACE_MB:-2}" $wasm $size $growing $lean \
  "$(dirname "$0")/run-built.mjs" "$@"
