#!/usr/bin/env bash
# Scale-out measurement of pre-sampling: rollout throughput with 1, 2 and 3 rollout workers on a private RabbitMQ +
# Azurite, threads per worker set so the machine's cores are not oversubscribed. Writes docs/benchmarks.md.
# Needs the built-in model (PRUNER_BUILTIN_MODEL_DIR, default .pruner/store/models/builtin) and a RolloutService.
# Usage: infra/benchmark-rollouts.sh [workers...]   (default: 1 2 3)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
state="$(mktemp -d /tmp/pruner-bench.XXXXXX)"
worker_counts=("${@:-1 2 3}")
read -r -a worker_counts <<<"${worker_counts[*]}"
cores="$(nproc)"
problems="${BENCH_PROBLEMS:-32}"
k="${BENCH_K:-4}"
max_new_tokens="${BENCH_MAX_NEW_TOKENS:-256}"

source infra/free-port.sh
export PRUNER_INFRA_DIR="$state/infra"
export PRUNER_RABBITMQ_PORT="$(free_port)" PRUNER_RABBITMQ_MANAGEMENT_PORT="$(free_port)"
export PRUNER_AZURITE_BLOB_PORT="$(free_port)" PRUNER_AZURITE_TABLE_PORT="$(free_port)"
export PRUNER_RABBITMQ_PASSWORD="bench-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export PRUNER_RABBITMQ_CONSOLE_PASSWORD="bench-console-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
source infra/env.sh
eval "$(pruner_service_environment)"
api="http://127.0.0.1:$PRUNER_RABBITMQ_MANAGEMENT_PORT/api"
auth="$PRUNER_RABBITMQ_CONSOLE_USER:$PRUNER_RABBITMQ_CONSOLE_PASSWORD"

pids=()
stop_all() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; pids=(); }
trap 'stop_all; infra/stop.sh >/dev/null 2>&1 || true' EXIT

if ! grep -q AddPrunerDefaults src/RolloutService/Program.cs; then
  echo "benchmark: src/RolloutService is not implemented yet" >&2
  exit 3
fi
model_dir="${PRUNER_BUILTIN_MODEL_DIR:-$root/.pruner/store/models/builtin}"
if [ ! -f "$model_dir/config.json" ]; then
  echo "benchmark: no built-in model at $model_dir (set PRUNER_BUILTIN_MODEL_DIR)" >&2
  exit 3
fi
dotnet build PrunerPipeline.sln -c Release -v q >&2
pruner() { dotnet src/Cli/bin/Release/net10.0/pruner.dll "$@"; }
infra/start.sh >&2
pruner store put "$model_dir" models/builtin >&2

published() { curl -fsS -u "$auth" "$api/exchanges/%2f/PrunerPipeline.Contracts:$1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin).get("message_stats", {}).get("publish_in", 0))' 2>/dev/null || echo 0; }

rows=()
for workers in "${worker_counts[@]}"; do
  threads=$(( cores / workers )); [ "$threads" -ge 1 ] || threads=1
  dotnet "src/Orchestrator/bin/Release/net10.0/PrunerPipeline.Orchestrator.dll" > "$state/orchestrator-$workers.log" 2>&1 & pids+=($!)
  for i in $(seq 1 "$workers"); do
    OMP_NUM_THREADS=$threads TORCH_NUM_THREADS=$threads Bus__PrefetchCount=1 Health__File="$state/rollout-$workers-$i.health" \
      dotnet "src/RolloutService/bin/Release/net10.0/PrunerPipeline.RolloutService.dll" > "$state/rollout-$workers-$i.log" 2>&1 & pids+=($!)
  done
  for i in $(seq 1 "$workers"); do
    until grep -qs '^Healthy' "$state/rollout-$workers-$i.health"; do sleep 1; done
  done
  run_id="bench-w$workers-$(date +%s)"
  # A seed per measurement: a new sample set, so no run reuses another's rollouts.
  printf '{"runId": "%s", "trainingProblems": %d, "shardSize": 2, "samplesPerProblem": %d, "maxNewTokens": %d, "seed": %d}\n' \
    "$run_id" "$problems" "$k" "$max_new_tokens" "$((7000 + workers))" > "$state/$run_id.json"
  shards=$(( (problems + 1) / 2 ))
  before="$(published RolloutsGenerated)"
  start_ns="$(date +%s%N)"
  pruner run "$state/$run_id.json" --bus rabbitmq > "$state/$run_id.log" 2>&1 &
  follower=$!
  until [ $(( $(published RolloutsGenerated) - before )) -ge "$shards" ]; do sleep 0.5; done
  seconds="$(python3 -c "print(($(date +%s%N) - $start_ns) / 1e9)")"
  kill "$follower" 2>/dev/null || true
  sample_set="$(pruner store cat "runs/$run_id/shards.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sampleSetId"])')"
  pruner store get "samples/$sample_set/rollouts" "$state/$run_id-rollouts" >/dev/null
  tokens="$(cat "$state/$run_id-rollouts"/*.jsonl | python3 -c 'import json,sys; print(sum(json.loads(l)["length"] for l in sys.stdin if l.strip()))')"
  samples=$((problems * k))
  rows+=("$(python3 -c "print(f'| $workers | $threads | $samples | $tokens | {$seconds:.1f} | {$samples/$seconds:.2f} | {$tokens/$seconds:.0f} |')")")
  echo "benchmark: $workers worker(s): $samples samples, $tokens tokens in $seconds s" >&2
  stop_all
  sleep 2
done

{
  echo "## Rollout scale-out (pre-sampling)"
  echo
  echo "Measured by \`infra/benchmark-rollouts.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "RabbitMQ + Azurite on the same machine; built-in model, $problems problems × K $k, max $max_new_tokens new tokens,"
  echo "shards of 2 problems, prefetch 1. Time runs from submitting the run to the last \`RolloutsGenerated\`."
  echo
  echo "| workers | threads each | samples | tokens | seconds | samples/s | tokens/s |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "What limits it here: sampling is compute-bound and every worker shares the same $(nproc) cores, so a second or"
  echo "third worker re-divides the cores (threads per worker = cores / workers) rather than adding compute; any gain"
  echo "over one worker comes from overlapping one worker's blob upload and message handling with another's compute."
  echo "On N machines each worker brings its own cores, so throughput should grow close to N-fold until the number of"
  echo "shards (problems / shard size) or the broker and blob store (a few messages and one blob per shard) limit it."
} > "$state/section.md"
# Replace this section of docs/benchmarks.md (or append it), leaving the other sections alone.
python3 - "$state/section.md" docs/benchmarks.md <<'PY'
import re, sys
section, path = open(sys.argv[1]).read(), sys.argv[2]
text = open(path).read()
pattern = re.compile(r"## Rollout scale-out \(pre-sampling\)\n.*?(?=\n## |\Z)", re.S)
text = pattern.sub(lambda _: section.rstrip("\n") + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text)
PY
echo "benchmark: updated docs/benchmarks.md" >&2
