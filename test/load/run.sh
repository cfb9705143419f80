#!/usr/bin/env bash
# The load test needs a socket (file descriptor) per connection on both sides:
# raise this shell's limit as far as the hard limit allows, then run.
set -euo pipefail
# Sockets (server side and client side) plus two per open conversation.
want=$(( ${LOAD_SOCKETS:-10000} * 2 + 4096 ))
hard=$(ulimit -Hn)
if [ "$hard" != "unlimited" ] && [ "$hard" -lt "$want" ]; then want=$hard; fi
ulimit -n "$want" || true
echo "file descriptor limit: $(ulimit -n)"
# The server's fsyncs need the threadpool bin/messenger-server.js gives the CLI.
export UV_THREADPOOL_SIZE="${UV_THREADPOOL_SIZE:-16}"
exec npx tsx "$(dirname "$0")/load-run.ts"
