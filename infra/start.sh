#!/usr/bin/env bash
# Starts RabbitMQ and Azurite for distributed mode, waits until both are healthy and prints the settings every
# service reads. Usage: PRUNER_RABBITMQ_PASSWORD=... infra/start.sh   (then: eval "$(infra/start.sh --env)")
set -euo pipefail
here="$(dirname "$0")"
source "$here/env.sh"
if [ "${1:-}" = "--env" ]; then
  "$here/rabbitmq.sh" start >&2
  "$here/azurite.sh" start >&2
  pruner_service_environment
  exit 0
fi
"$here/rabbitmq.sh" start
"$here/azurite.sh" start
echo
echo "# Settings for the services and the pruner CLI (the password stays in PRUNER_RABBITMQ_PASSWORD):"
pruner_service_environment
