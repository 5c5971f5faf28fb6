#!/usr/bin/env bash
# Stops what infra/start.sh started.
set -euo pipefail
here="$(dirname "$0")"
"$here/azurite.sh" stop
"$here/rabbitmq.sh" stop
