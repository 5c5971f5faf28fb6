#!/usr/bin/env bash
# A private RabbitMQ node (Debian's rabbitmq-server, no Docker, no systemd) with the management console and the
# project's own user. Usage: infra/rabbitmq.sh start|stop|restart|status
set -euo pipefail
source "$(dirname "$0")/env.sh"

RABBIT_BIN=/usr/lib/rabbitmq/bin
dir="$PRUNER_INFRA_DIR/rabbitmq-$PRUNER_RABBITMQ_PORT"
# Our own node: its data, logs, plugins and config live under $dir, so it never touches a system-wide RabbitMQ.
export RABBITMQ_NODENAME="$PRUNER_RABBITMQ_NODENAME"
export RABBITMQ_NODE_PORT="$PRUNER_RABBITMQ_PORT"
export RABBITMQ_DIST_PORT=$((PRUNER_RABBITMQ_PORT + 20000))
export RABBITMQ_MNESIA_BASE="$dir/mnesia"
export RABBITMQ_LOG_BASE="$dir/log"
export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
export RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
# Erlang's schedulers spin while idle (busy waiting), taking CPU from the services that share the machine's cores
# (as Red Hat OpenStack does for its brokers, +sbwt none). Measured: 2 pinned rollout workers went from 0.98× to 1.52×
# of one (docs/benchmarks.md, "Rollout scale-out, pinned workers").
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="${RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS:-+sbwt none +sbwtdcpu none +sbwtdio none}"

ctl() { "$RABBIT_BIN/rabbitmqctl" -n "$RABBITMQ_NODENAME" "$@"; }

start() {
  if [ ! -x "$RABBIT_BIN/rabbitmq-server" ]; then
    echo "rabbitmq: $RABBIT_BIN/rabbitmq-server not found; install it with: apt-get install -y rabbitmq-server" >&2
    exit 1
  fi
  if [ -z "${PRUNER_RABBITMQ_PASSWORD:-}" ]; then
    echo "rabbitmq: set PRUNER_RABBITMQ_PASSWORD (the password of user '$PRUNER_RABBITMQ_USER'); it is never defaulted" >&2
    exit 1
  fi
  mkdir -p "$dir/log" "$dir/mnesia"
  cat > "$RABBITMQ_CONFIG_FILE" <<CONF
listeners.tcp.default = $PRUNER_RABBITMQ_PORT
management.tcp.port = $PRUNER_RABBITMQ_MANAGEMENT_PORT
loopback_users.guest = true
log.console = false
# A training or a large shard can hold its message unacknowledged for a long time; the 30-minute default would
# make the broker close the worker's channel mid-training.
consumer_timeout = 86400000
# How often the management console's message counters refresh (benchmarks that time from them set it low).
collect_statistics_interval = ${PRUNER_RABBITMQ_STATS_INTERVAL_MS:-5000}
CONF
  "$RABBIT_BIN/rabbitmq-plugins" enable --offline rabbitmq_management >/dev/null
  if ! ctl status >/dev/null 2>&1; then
    "$RABBIT_BIN/rabbitmq-server" -detached
  fi
  # -detached returns before the node registers; `wait` follows the pid file until the broker app runs.
  ctl wait "$RABBITMQ_PID_FILE" --timeout 90 >/dev/null
  # The project's user: created or its password reset from the environment; guest is removed.
  if ctl list_users --silent | awk '{print $1}' | grep -qx "$PRUNER_RABBITMQ_USER"; then
    printf '%s' "$PRUNER_RABBITMQ_PASSWORD" | ctl change_password "$PRUNER_RABBITMQ_USER" >/dev/null
  else
    printf '%s' "$PRUNER_RABBITMQ_PASSWORD" | ctl add_user "$PRUNER_RABBITMQ_USER" >/dev/null
  fi
  # The services' user may declare and use exchanges and queues, but cannot log into the console.
  ctl set_user_tags "$PRUNER_RABBITMQ_USER" >/dev/null
  ctl set_permissions -p / "$PRUNER_RABBITMQ_USER" ".*" ".*" ".*" >/dev/null
  # The console has its own user (PRUNER_RABBITMQ_CONSOLE_USER / PRUNER_RABBITMQ_CONSOLE_PASSWORD).
  if [ -n "${PRUNER_RABBITMQ_CONSOLE_PASSWORD:-}" ]; then
    if ctl list_users --silent | awk '{print $1}' | grep -qx "$PRUNER_RABBITMQ_CONSOLE_USER"; then
      printf '%s' "$PRUNER_RABBITMQ_CONSOLE_PASSWORD" | ctl change_password "$PRUNER_RABBITMQ_CONSOLE_USER" >/dev/null
    else
      printf '%s' "$PRUNER_RABBITMQ_CONSOLE_PASSWORD" | ctl add_user "$PRUNER_RABBITMQ_CONSOLE_USER" >/dev/null
    fi
    ctl set_user_tags "$PRUNER_RABBITMQ_CONSOLE_USER" administrator >/dev/null
    ctl set_permissions -p / "$PRUNER_RABBITMQ_CONSOLE_USER" ".*" ".*" ".*" >/dev/null
    console="console http://127.0.0.1:$PRUNER_RABBITMQ_MANAGEMENT_PORT (user $PRUNER_RABBITMQ_CONSOLE_USER)"
  else
    console="no console user (set PRUNER_RABBITMQ_CONSOLE_PASSWORD to create $PRUNER_RABBITMQ_CONSOLE_USER)"
  fi
  ctl delete_user guest >/dev/null 2>&1 || true
  wait_healthy
  echo "rabbitmq: node $RABBITMQ_NODENAME on amqp://127.0.0.1:$PRUNER_RABBITMQ_PORT (user $PRUNER_RABBITMQ_USER), $console"
}

wait_healthy() {
  local deadline=$((SECONDS + 60))
  until pruner_wait_for_port 127.0.0.1 "$PRUNER_RABBITMQ_PORT" 1 && pruner_wait_for_port 127.0.0.1 "$PRUNER_RABBITMQ_MANAGEMENT_PORT" 1; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "rabbitmq: AMQP or management port not open within 60 s" >&2; exit 1; fi
    sleep 0.5
  done
  if [ -n "${PRUNER_RABBITMQ_CONSOLE_PASSWORD:-}" ]; then
    until pruner_console_curl -fsS "http://127.0.0.1:$PRUNER_RABBITMQ_MANAGEMENT_PORT/api/overview" >/dev/null 2>&1; do
      if [ "$SECONDS" -ge "$deadline" ]; then echo "rabbitmq: management API did not answer within 60 s" >&2; exit 1; fi
      sleep 0.5
    done
  fi
}

stop() {
  if ctl status >/dev/null 2>&1; then
    ctl stop "$RABBITMQ_PID_FILE" >/dev/null 2>&1 || true
  fi
  # rabbitmqctl stop leaves epmd running; stop the one this node started, by pid (nobody else's).
  if [ -f "$dir/epmd.pid" ]; then kill "$(cat "$dir/epmd.pid")" 2>/dev/null || true; rm -f "$dir/epmd.pid"; fi
  echo "rabbitmq: stopped $RABBITMQ_NODENAME"
}

remember_epmd() {
  local pid
  pid="$(pgrep -x epmd | head -1 || true)"
  if [ -n "$pid" ] && [ ! -f "$dir/epmd.pid" ]; then echo "$pid" > "$dir/epmd.pid"; fi
}

case "${1:-}" in
  start)
    epmd_before="$(pgrep -x epmd || true)"
    start
    if [ -z "$epmd_before" ]; then remember_epmd; fi
    ;;
  stop) stop ;;
  restart) stop; start ;;
  status) ctl status >/dev/null 2>&1 && echo "rabbitmq: running ($RABBITMQ_NODENAME)" || { echo "rabbitmq: not running"; exit 1; } ;;
  *) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
