# Settings shared by the infra scripts; source it. Every value can be overridden from the environment.
# Credentials are never defaulted: PRUNER_RABBITMQ_PASSWORD must come from the environment (or a secret store).
PRUNER_INFRA_DIR="${PRUNER_INFRA_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.pruner/infra}"
PRUNER_RABBITMQ_USER="${PRUNER_RABBITMQ_USER:-pruner}"
PRUNER_RABBITMQ_CONSOLE_USER="${PRUNER_RABBITMQ_CONSOLE_USER:-pruner-console}"
PRUNER_RABBITMQ_PORT="${PRUNER_RABBITMQ_PORT:-5672}"
PRUNER_RABBITMQ_MANAGEMENT_PORT="${PRUNER_RABBITMQ_MANAGEMENT_PORT:-15672}"
PRUNER_RABBITMQ_NODENAME="${PRUNER_RABBITMQ_NODENAME:-pruner-${PRUNER_RABBITMQ_PORT}@localhost}"
PRUNER_AZURITE_BLOB_PORT="${PRUNER_AZURITE_BLOB_PORT:-10000}"
PRUNER_AZURITE_TABLE_PORT="${PRUNER_AZURITE_TABLE_PORT:-10002}"
PRUNER_ARTIFACTS_CONTAINER="${PRUNER_ARTIFACTS_CONTAINER:-pruner}"
export PRUNER_INFRA_DIR PRUNER_RABBITMQ_USER PRUNER_RABBITMQ_CONSOLE_USER PRUNER_RABBITMQ_PORT PRUNER_RABBITMQ_MANAGEMENT_PORT PRUNER_RABBITMQ_NODENAME \
  PRUNER_AZURITE_BLOB_PORT PRUNER_AZURITE_TABLE_PORT PRUNER_ARTIFACTS_CONTAINER

# Azurite's well-known development account (public, documented by Microsoft; not a secret).
PRUNER_AZURITE_ACCOUNT_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
pruner_azurite_connection_string() {
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${PRUNER_AZURITE_ACCOUNT_KEY};BlobEndpoint=http://127.0.0.1:${PRUNER_AZURITE_BLOB_PORT}/devstoreaccount1;TableEndpoint=http://127.0.0.1:${PRUNER_AZURITE_TABLE_PORT}/devstoreaccount1;"
}

# The environment every service reads (appsettings keys with __ for ':'), printed by start.sh.
pruner_service_environment() {
  echo "export Bus__Transport=rabbitmq"
  echo "export Bus__Host=127.0.0.1"
  echo "export Bus__Port=${PRUNER_RABBITMQ_PORT}"
  echo "export Bus__Username=${PRUNER_RABBITMQ_USER}"
  echo "export Bus__Password=\"\${PRUNER_RABBITMQ_PASSWORD}\""
  echo "export Artifacts__Provider=azure"
  echo "export Artifacts__Container=${PRUNER_ARTIFACTS_CONTAINER}"
  echo "export Artifacts__ConnectionString='$(pruner_azurite_connection_string)'"
}

# curl against the RabbitMQ management API as the console user. The credentials go to curl as a config file on stdin
# (-K -), never as an argument, so they do not show in `ps` (printf is a shell builtin: no process of its own).
pruner_console_curl() {
  printf 'user = "%s:%s"\n' "$PRUNER_RABBITMQ_CONSOLE_USER" "$PRUNER_RABBITMQ_CONSOLE_PASSWORD" | curl -K - "$@"
}

pruner_wait_for_port() { # host port seconds
  local deadline=$((SECONDS + $3))
  until (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then return 1; fi
    sleep 0.2
  done
}
