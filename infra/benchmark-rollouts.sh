#!/usr/bin/env bash
# Scale-out measurement of pre-sampling on a private RabbitMQ + Azurite: N rollout workers, worker i pinned to core
# i-1 (taskset) with 1 decoding thread, against 1 pinned worker; reports samples/s, the ratio to one worker, and what
# one worker needs (a core, its peak resident memory). Writes docs/benchmarks.md.
# Needs the built-in model (PRUNER_BUILTIN_MODEL_DIR, default .pruner/store/models/builtin) and a RolloutService.
# Usage: infra/benchmark-rollouts.sh [workers...]   (default: 1 2; at most one worker per core)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
state="$(mktemp -d /tmp/pruner-bench.XXXXXX)"
worker_counts=("${@:-1 2}")
read -r -a worker_counts <<<"${worker_counts[*]}"
cores="$(nproc)"
problems="${BENCH_PROBLEMS:-1024}"
k="${BENCH_K:-8}"
# Problems per shard: a shard of 32 problems × K 8 decodes for ~0.5 s on one core, so the per-shard work of the broker, the blob
# store and the orchestrator (which share the workers' cores here) stays small beside it.
shard_size="${BENCH_SHARD_SIZE:-32}"
max_new_tokens="${BENCH_MAX_NEW_TOKENS:-256}"

source infra/free-port.sh
export PRUNER_INFRA_DIR="$state/infra"
export PRUNER_RABBITMQ_PORT="$(free_port)" PRUNER_RABBITMQ_MANAGEMENT_PORT="$(free_port)"
export PRUNER_AZURITE_BLOB_PORT="$(free_port)" PRUNER_AZURITE_TABLE_PORT="$(free_port)"
export PRUNER_RABBITMQ_PASSWORD="bench-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export PRUNER_RABBITMQ_CONSOLE_PASSWORD="bench-console-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
# The end of a measurement is read from the console's counters: refreshed every 250 ms instead of every 5 s.
export PRUNER_RABBITMQ_STATS_INTERVAL_MS=250
source infra/env.sh
eval "$(pruner_service_environment)"
api="http://127.0.0.1:$PRUNER_RABBITMQ_MANAGEMENT_PORT/api"
auth="$PRUNER_RABBITMQ_CONSOLE_USER:$PRUNER_RABBITMQ_CONSOLE_PASSWORD"

pids=()
stop_all() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; pids=(); }
trap 'stop_all; infra/stop.sh >/dev/null 2>&1 || true' EXIT

model_dir="${PRUNER_BUILTIN_MODEL_DIR:-$root/.pruner/store/models/builtin}"
if [ ! -f "$model_dir/config.json" ]; then
  echo "benchmark: no built-in model at $model_dir (set PRUNER_BUILTIN_MODEL_DIR)" >&2
  exit 3
fi
dotnet build PrunerPipeline.sln -c Release -v q >&2
pruner() { dotnet src/Cli/bin/Release/net10.0/pruner.dll "$@"; }
infra/start.sh >&2
pruner store put "$model_dir" models/builtin >&2

# Messages published to a message type's exchange so far (0 before the first). grep, not python: this is polled
# four times a second while the workers run, on the same cores.
published() { curl -fsS -u "$auth" "$api/exchanges/%2f/PrunerPipeline.Contracts:$1" 2>/dev/null | grep -o '"publish_in":[0-9]*' | head -1 | cut -d: -f2 | grep . || echo 0; }

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
rows=()
rates=()
memory=()
measurement=0
for workers in "${worker_counts[@]}"; do
  measurement=$((measurement + 1))
  tag="$measurement-w$workers"
  if [ "$workers" -gt "$cores" ]; then
    echo "benchmark: $workers workers on $cores cores: one pinned worker per core at most" >&2
    exit 2
  fi
  threads=1
  dotnet "src/Orchestrator/bin/Release/net10.0/PrunerPipeline.Orchestrator.dll" > "$state/orchestrator-$tag.log" 2>&1 & pids+=($!)
  worker_pids=()
  for i in $(seq 1 "$workers"); do
    OMP_NUM_THREADS=1 TORCH_NUM_THREADS=1 Rollouts__Threads=1 Bus__PrefetchCount=1 Health__File="$state/rollout-$tag-$i.health" \
      taskset -c "$((i - 1))" dotnet "src/RolloutService/bin/Release/net10.0/PrunerPipeline.RolloutService.dll" > "$state/rollout-$tag-$i.log" 2>&1 &
    pids+=($!); worker_pids+=($!)
  done
  for i in $(seq 1 "$workers"); do
    until grep -qs '^Healthy' "$state/rollout-$tag-$i.health"; do sleep 1; done
  done
  # Warm-up: a run of two shards per worker, so every worker has fetched and loaded the model and JIT-compiled its
  # decoder before the clock starts (a worker's first shard otherwise pays ~2 s of it inside the measurement).
  warm_id="warm-$tag-$(date +%s)"
  printf '{"runId": "%s", "trainingProblems": %d, "shardSize": %d, "samplesPerProblem": %d, "maxNewTokens": %d, "seed": %d}\n' \
    "$warm_id" "$((2 * workers * shard_size))" "$shard_size" "$k" "$max_new_tokens" "$((6000 + measurement))" > "$state/$warm_id.json"
  before="$(published RolloutsGenerated)"
  pruner run "$state/$warm_id.json" --bus rabbitmq > "$state/$warm_id.log" 2>&1 &
  follower=$!
  until [ $(( $(published RolloutsGenerated) - before )) -ge "$((2 * workers))" ]; do sleep 0.25; done
  kill "$follower" 2>/dev/null || true
  run_id="bench-$tag-$(date +%s)"
  # A seed per measurement: a new sample set, so no run reuses another's rollouts.
  printf '{"runId": "%s", "trainingProblems": %d, "shardSize": %d, "samplesPerProblem": %d, "maxNewTokens": %d, "seed": %d}\n' \
    "$run_id" "$problems" "$shard_size" "$k" "$max_new_tokens" "$((7000 + measurement))" > "$state/$run_id.json"
  shards=$(( (problems + shard_size - 1) / shard_size ))
  before="$(published RolloutsGenerated)"
  commands_before="$(published GenerateRollouts)"
  pruner run "$state/$run_id.json" --bus rabbitmq > "$state/$run_id.log" 2>&1 &
  follower=$!
  # The clock starts when the orchestrator has published the shards' commands: the CLI's own start-up and the
  # run's acceptance are the same for any number of workers and are not sampling.
  until [ $(( $(published GenerateRollouts) - commands_before )) -ge "$shards" ]; do sleep 0.25; done
  start_ns="$(date +%s%N)"
  until [ $(( $(published RolloutsGenerated) - before )) -ge "$shards" ]; do sleep 0.25; done
  seconds="$(python3 -c "print(($(date +%s%N) - $start_ns) / 1e9)")"
  kill "$follower" 2>/dev/null || true
  sample_set="$(pruner store cat "runs/$run_id/shards.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sampleSetId"])')"
  pruner store get "samples/$sample_set/rollouts" "$state/$run_id-rollouts" >/dev/null
  tokens="$(cat "$state/$run_id-rollouts"/*.jsonl | python3 -c 'import json,sys; print(sum(json.loads(l)["length"] for l in sys.stdin if l.strip()))')"
  samples=$((problems * k))
  # Peak resident memory of each worker (VmHWM), the largest of them.
  peak_kb=0
  for pid in "${worker_pids[@]}"; do
    kb="$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
    [ "${kb:-0}" -gt "$peak_kb" ] && peak_kb="$kb"
  done
  rate="$(python3 -c "print($samples / $seconds)")"
  rates+=("$rate")
  memory+=("$peak_kb")
  rows+=("$(python3 -c "print(f'| $workers | cores 0-$((workers - 1)), $threads thread each | $samples | $tokens | {$seconds:.1f} | {$samples/$seconds:.2f} | {$tokens/$seconds:.0f} | {$tokens/$seconds/$workers:.0f} | {${rates[0]} and $rate/${rates[0]}:.2f}× | {$peak_kb/1024:.0f} MiB |')")")
  echo "benchmark: $workers worker(s): $samples samples, $tokens tokens in $seconds s" >&2
  stop_all
  sleep 2
done

{
  echo "## Rollout scale-out, pinned workers (issue 16)"
  echo
  echo "Measured by \`infra/benchmark-rollouts.sh\` on $(date -u +%Y-%m-%d) (load before: $load_before), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "RabbitMQ + Azurite + orchestrator on the same machine (not pinned); built-in model, $problems problems × K $k,"
  echo "max $max_new_tokens new tokens, shards of $shard_size problems, prefetch 1; worker i pinned to core i-1 (\`taskset\`), 1"
  echo "decoding thread (\`Rollouts:Threads=1\`). Time runs from the orchestrator's publishing of the shards (after a"
  echo "warm-up run that loads the model in every worker) to the last \`RolloutsGenerated\` (console counters refreshed every 250 ms)."
  echo
  echo "| workers | pinning | samples | tokens | seconds | samples/s | tokens/s | tokens/s per worker | vs 1 worker | peak RSS per worker |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Sizing: a rollout worker needs one core (1 decoding thread) and the peak RSS above (its own reference-model"
  echo "copy, the weight snapshot and KV cache); workers share nothing but the broker and the blob store, so a fleet's"
  echo "samples/s is about N × the one-worker figure until shards (problems / shard size) run out. On this shared"
  echo "2-core machine the broker, Azurite, the orchestrator and other users' jobs run on the same two cores, which is"
  echo "what keeps the ratio below 2."
} > "$state/section.md"
# Replace this section of docs/benchmarks.md (or append it), leaving the other sections alone.
python3 - "$state/section.md" docs/benchmarks.md <<'PY'
import re, sys
section, path = open(sys.argv[1]).read(), sys.argv[2]
text = open(path).read()
pattern = re.compile(r"## Rollout scale-out, pinned workers \(issue 16\)\n.*?(?=\n## |\Z)", re.S)
text = pattern.sub(lambda _: section.rstrip("\n") + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text)
PY
echo "benchmark: updated docs/benchmarks.md" >&2
