#!/usr/bin/env bash
# Azurite (npm azurite@3.35.0) with blob and table endpoints, data under .pruner/infra. Usage: infra/azurite.sh start|stop|status
set -euo pipefail
source "$(dirname "$0")/env.sh"

dir="$PRUNER_INFRA_DIR/azurite-$PRUNER_AZURITE_BLOB_PORT"

start_one() { # name port-flag-args...
  local name="$1"; shift
  if [ -f "$dir/$name.pid" ] && kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then return; fi
  if ! command -v "$name" >/dev/null 2>&1; then
    echo "azurite: $name not found; install it with: npm i -g azurite@3.35.0" >&2
    exit 1
  fi
  # --skipApiVersionCheck: Azure.Storage.Blobs 12.30 speaks a newer API version than Azurite 3.35 knows.
  nohup "$name" "$@" --location "$dir/data" --debug "$dir/$name.debug.log" --skipApiVersionCheck --disableTelemetry --loose \
    > "$dir/$name.log" 2>&1 &
  echo $! > "$dir/$name.pid"
}

case "${1:-}" in
  start)
    mkdir -p "$dir/data"
    start_one azurite-blob --blobHost 127.0.0.1 --blobPort "$PRUNER_AZURITE_BLOB_PORT"
    start_one azurite-table --tableHost 127.0.0.1 --tablePort "$PRUNER_AZURITE_TABLE_PORT"
    pruner_wait_for_port 127.0.0.1 "$PRUNER_AZURITE_BLOB_PORT" 30 || { echo "azurite: blob endpoint did not open" >&2; exit 1; }
    pruner_wait_for_port 127.0.0.1 "$PRUNER_AZURITE_TABLE_PORT" 30 || { echo "azurite: table endpoint did not open" >&2; exit 1; }
    echo "azurite: blob http://127.0.0.1:$PRUNER_AZURITE_BLOB_PORT, table http://127.0.0.1:$PRUNER_AZURITE_TABLE_PORT (data in $dir/data)"
    ;;
  stop)
    for name in azurite-blob azurite-table; do
      if [ -f "$dir/$name.pid" ]; then kill "$(cat "$dir/$name.pid")" 2>/dev/null || true; rm -f "$dir/$name.pid"; fi
    done
    echo "azurite: stopped"
    ;;
  status)
    pruner_wait_for_port 127.0.0.1 "$PRUNER_AZURITE_BLOB_PORT" 1 && echo "azurite: running" || { echo "azurite: not running"; exit 1; }
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
