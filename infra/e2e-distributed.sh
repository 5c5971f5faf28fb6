#!/usr/bin/env bash
# Distributed end to end, on this machine, no Docker: RabbitMQ + Azurite, one orchestrator, 3 rollout workers, one
# reward, trainer and eval service as separate processes. During a small built-in-model run it SIGKILLs a rollout
# worker mid-shard, kills and restarts the trainer after its first checkpoint, restarts RabbitMQ once, and publishes
# 54 malformed or hostile messages onto start-pruning-run; it also publishes a forged RunRejected carrying the live
# run's id and a forged GenerateRollouts for an unknown run with a local model path, submits one run id twice at once
# with different K, and checks `ps` for the broker passwords throughout. Crash safety (issue 18): it SIGKILLs the
# orchestrator the moment it has published the run's shards and restarts it (the restarted one re-drives the run from
# its saved state), SIGSTOPs Azurite for E2E_AZURITE_STOP_SECONDS (60) then SIGCONTs it, and SIGSTOPs one rollout worker
# mid-shard for the rest of the run (its shard moves to another worker at the sampling deadline). Once the restarted
# trainer has run a step, it restarts Azurite (SIGTERM, wait for the exit, start again on the same port and data
# folder): every service rides out the refused connections on its blob retries. Ends with one line:
#   completed=<bool> lost=<n> duplicated=<n> rejected=<n> crashed=<n> stranded=<n> faults=<list> secrets_in_ps=<n> ...
# Exit 0 only for completed=true lost=0 duplicated=0 crashed=0 with all 54 hostile messages rejected or dead-lettered
# with a reason, exactly one of the duplicate pair accepted, the forged command dead-lettered and no password in ps;
# exit 3 when the pipeline is incomplete (a service not built yet), 1 otherwise.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
state="$(mktemp -d /tmp/pruner-e2e.XXXXXX)"
timeout_seconds="${E2E_TIMEOUT_SECONDS:-900}"
hostile_count=54

# --- private infrastructure on free ports, a fresh password ---
source infra/free-port.sh
export PRUNER_INFRA_DIR="$state/infra"
export PRUNER_RABBITMQ_PORT="$(free_port)"
export PRUNER_RABBITMQ_MANAGEMENT_PORT="$(free_port)"
export PRUNER_AZURITE_BLOB_PORT="$(free_port)"
export PRUNER_AZURITE_TABLE_PORT="$(free_port)"
export PRUNER_RABBITMQ_PASSWORD="e2e-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export PRUNER_RABBITMQ_CONSOLE_PASSWORD="e2e-console-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
source infra/env.sh
eval "$(pruner_service_environment)"
export Logging__LogLevel__MassTransit=Warning
api="http://127.0.0.1:$PRUNER_RABBITMQ_MANAGEMENT_PORT/api"
# The management API, as a person at the console would: pruner_console_curl (infra/env.sh) keeps the password off
# every command line, and the Python publisher reads it from its environment.

declare -A pids=()          # role -> pid of the processes this script started
declare -A expected_dead=() # roles this script killed on purpose
cleanup() {
  local status=$?
  adopt_orchestrator
  if [ -n "${azurite_pid:-}" ]; then kill -CONT "$azurite_pid" 2>/dev/null || true; fi
  for role in "${!pids[@]}"; do kill "${pids[$role]}" 2>/dev/null || true; done
  sleep 1
  for role in "${!pids[@]}"; do kill -9 "${pids[$role]}" 2>/dev/null || true; done
  infra/stop.sh >/dev/null 2>&1 || true
  # Logs are kept only when something failed.
  if [ "$status" -eq 0 ] || [ "$status" -eq 3 ]; then rm -rf "$state"; fi
}
trap cleanup EXIT

log() { echo "e2e: $*" >&2; }
# The orchestrator restarted by the kill watcher (a subshell) is adopted from its pid file.
adopt_orchestrator() {
  if [ -z "${pids[orchestrator-2]:-}" ] && [ -s "$state/orchestrator-2.pid" ]; then pids[orchestrator-2]="$(cat "$state/orchestrator-2.pid")"; fi
}
faults=()
# No secret on a command line: every process's argv is checked for the broker passwords while the pipeline runs.
secrets_seen=0
check_ps() { # matched in bash, so the check itself puts no password on a command line
  local line
  while IFS= read -r line; do
    if [[ "$line" == *"$PRUNER_RABBITMQ_PASSWORD"* || "$line" == *"$PRUNER_RABBITMQ_CONSOLE_PASSWORD"* ]]; then
      secrets_seen=$((secrets_seen + 1)); log "a broker password is visible in ps, in a command starting: ${line:0:40}"
    fi
  done < <(ps -eo args=)
}

# --- build (CI has built already) ---
dll() { echo "src/$1/bin/Release/net10.0/PrunerPipeline.$1.dll"; }
if [ ! -f "$(dll Orchestrator)" ] || [ ! -f src/Cli/bin/Release/net10.0/pruner.dll ]; then
  dotnet build PrunerPipeline.sln -c Release -v q >&2
fi
pruner() { dotnet src/Cli/bin/Release/net10.0/pruner.dll "$@"; }

missing=()
for service in RolloutService RewardService TrainerService EvalService; do
  [ -f "$(dll "$service")" ] || missing+=("$service")   # not built: the run cannot complete (exit 3)
done

infra/start.sh >&2 & start_pid=$!
while kill -0 "$start_pid" 2>/dev/null; do check_ps; sleep 0.3; done
wait "$start_pid"

# The built-in model must be in the blob store: from PRUNER_BUILTIN_MODEL_DIR, or an embedded run's store.
model_dir="${PRUNER_BUILTIN_MODEL_DIR:-$root/.pruner/store/models/builtin}"
if [ -f "$model_dir/config.json" ]; then
  pruner store put "$model_dir" models/builtin >&2
else
  log "no built-in model at $model_dir (set PRUNER_BUILTIN_MODEL_DIR); the valid run will be rejected"
fi

start() { # role project [extra env...]
  local role="$1" project="$2"; shift 2
  env "$@" Health__File="$state/$role.health" dotnet "$(dll "$project")" > "$state/$role.log" 2>&1 &
  pids[$role]=$!
}
present() { [[ " ${missing[*]} " != *" $1 "* ]]; }
# Short sampling deadlines, so a SIGSTOPped worker's shard moves within a minute: 45 s + the shard's token budget at 1000 tokens/s.
orchestrator_env=(Orchestrator__Deadlines__SamplingBaseSeconds=45 Orchestrator__Deadlines__SamplingMinTokensPerSecond=1000 Orchestrator__Deadlines__CheckIntervalSeconds=5)
start orchestrator Orchestrator "${orchestrator_env[@]}"
# Threads per worker: 3 workers share the 2 cores; one thread each keeps them from oversubscribing.
if present RolloutService; then for i in 1 2 3; do start "rollout-$i" RolloutService Bus__PrefetchCount=1 OMP_NUM_THREADS=1 TORCH_NUM_THREADS=1; done; fi
if present RewardService; then start reward RewardService; fi
# Intermediate checkpoints every 8 steps on one thread, so the trainer can be killed after its first one and must resume from the store.
if present TrainerService; then start trainer TrainerService Trainer__CheckpointEverySteps=8 Trainer__Threads=1; fi
if present EvalService; then start eval EvalService; fi
for role in "${!pids[@]}"; do
  deadline=$((SECONDS + 90))
  until grep -qs '^Healthy' "$state/$role.health"; do
    if ! kill -0 "${pids[$role]}" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then log "$role did not become healthy (log: $state/$role.log)"; break; fi
    sleep 1
  done
done

# A durable queue that counts RunRejected events (bound before anything is published).
pruner_console_curl -fsS -X PUT -H 'content-type: application/json' "$api/exchanges/%2f/PrunerPipeline.Contracts:RunRejected" -d '{"type":"fanout","durable":true}' >/dev/null
pruner_console_curl -fsS -X PUT -H 'content-type: application/json' "$api/queues/%2f/e2e-run-rejected" -d '{"durable":true}' >/dev/null
pruner_console_curl -fsS -X POST -H 'content-type: application/json' "$api/bindings/%2f/e/PrunerPipeline.Contracts:RunRejected/q/e2e-run-rejected" -d '{}' >/dev/null

# --- the valid run ---
run_id="e2e-$(date +%s)"
default_run='{"runId": "RUN_ID", "method": "O1Pruner", "trainingProblems": 48, "shardSize": 4, "samplesPerProblem": 4, "maxNewTokens": 256, "evaluationProblems": 16, "epochs": 2, "batchSize": 4}'
# E2E_RUN_JSON overrides the run's settings; RUN_ID in it is replaced by the generated run id.
printf '%s\n' "${E2E_RUN_JSON:-$default_run}" | sed "s/RUN_ID/$run_id/" > "$state/run.json"
pruner run "$state/run.json" --bus rabbitmq > "$state/run.log" 2>&1 &
follower=$!
# A shard now samples in a few seconds (continuous batching), too fast for the main loop below to catch one in flight,
# so the mid-shard kill is armed at once: rollout-1 is SIGKILLed half a second into its first shard, and a marker file
# tells the main loop the death was on purpose. Bounded: it gives up after two minutes (then the fault did not happen).
rollout1_pid="${pids[rollout-1]:-}"
if [ -n "$rollout1_pid" ]; then
  ( for _ in $(seq 1 1200); do
      if grep -q "Sampling shard" "$state/rollout-1.log" 2>/dev/null; then
        sleep 0.5; kill -9 "$rollout1_pid" 2>/dev/null && touch "$state/rollout-1.killed"; break
      fi
      sleep 0.1
    done ) &
fi
# The orchestrator is SIGKILLed the moment it logs that the run's shards are published (the saga's state is being
# saved, its outbox about to send) and restarted at once: the new one must re-drive the run from its saved state.
orchestrator_pid="${pids[orchestrator]}"
( for _ in $(seq 1 2400); do
    if grep -q "Run $run_id: .* GenerateRollouts commands published" "$state/orchestrator.log" 2>/dev/null; then
      kill -9 "$orchestrator_pid" 2>/dev/null && date +%s > "$state/orchestrator.killed"
      start orchestrator-2 Orchestrator "${orchestrator_env[@]}"
      echo "${pids[orchestrator-2]}" > "$state/orchestrator-2.pid"
      break
    fi
    sleep 0.05
  done ) &
# One rollout worker is SIGSTOPped half a second into a shard it takes after rollout-1's death, for the rest of the run:
# alive, holding its shard, never progressing. The shard must move to another worker.
( for _ in $(seq 1 1200); do [ -f "$state/rollout-1.killed" ] && break; sleep 0.1; done
  before2="$(grep -c "Sampling shard" "$state/rollout-2.log" 2>/dev/null || true)"; before3="$(grep -c "Sampling shard" "$state/rollout-3.log" 2>/dev/null || true)"
  for _ in $(seq 1 1200); do
    for worker in 2 3; do
      before="before$worker"
      if [ "$(grep -c "Sampling shard" "$state/rollout-$worker.log" 2>/dev/null || true)" -gt "${!before}" ]; then
        sleep 0.5; kill -STOP "${pids[rollout-$worker]}" 2>/dev/null && echo "rollout-$worker" > "$state/rollout.stopped"; exit 0
      fi
    done
    sleep 0.1
  done ) &
sleep 3
# The hostile batch goes to the restarted orchestrator: killed in the middle of it, the orchestrator would get the
# requests it had answered but not yet acknowledged again and answer them twice (at-least-once), which the exact
# rejection count below would read as extra rejections.
deadline=$((SECONDS + 120))
until grep -qs '^Healthy' "$state/orchestrator-2.health" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.5; done

# --- 54 hostile messages straight onto the queue, as raw bodies ---
python3 - "$api" "$hostile_count" <<'PY'
import base64, json, os, sys, urllib.request
api, count = sys.argv[1], int(sys.argv[2])
auth = os.environ["PRUNER_RABBITMQ_CONSOLE_USER"] + ":" + os.environ["PRUNER_RABBITMQ_CONSOLE_PASSWORD"]
bodies = [
    '{}', '{"runId": null}', '{"runId": 42}', '{"runId": ["a"]}', '{"samplesPerProblem": 4}',
    '{"runId": "../x"}', '{"runId": "../../etc/passwd"}', '{"runId": "a/../../b"}', '{"runId": "/abs"}', '{"runId": "UPPER"}',
    '{"runId": "ok-1", "samplesPerProblem": 1000000000}', '{"runId": "ok-2", "samplesPerProblem": -1}', '{"runId": "ok-3", "lambda": -1}',
    '{"runId": "ok-4", "method": "Telepathy"}', '{"runId": "ok-5", "method": 99}', '{"runId": "ok-6", "trainingDataset": "imagenet"}',
    '{"runId": "ok-7", "evaluationDatasets": []}', '{"runId": "ok-8", "baseModel": "../../models"}', '{"runId": "ok-9", "baseModel": "models/none"}',
    '{"runId": "ok-10", "temperature": "hot"}', '{"runId": "ok-11", "topP": 7}', '{"runId": "ok-12", "shardSize": 0}',
    '{"runId": "ok-13", "maxNewTokens": 999999999}', '{"runId": "ok-14", "epochs": 0}', '{"runId": "ok-15", "batchSize": 99999999}',
    '{"runId": "ok-16", "learningRate": 0}', '{"runId": "ok-17", "clipEpsilon": 5}', '{"runId": "ok-18", "ratioGranularity": "word"}',
    '{"runId": "ok-19", "trainingProblems": 1000000000}', '{"runId": "' + "x" * 5000 + '"}', '{"runId": "ok-20\\u0000"}',
    'not json at all', '{"runId": "unterminated', '[1, 2, 3]', 'null', '"a string"', '12345', '{"runId": "ok-21", "samplesPerProblem": 1e400}',
    '<xml/>', '{"runId": "ok-22", "evaluationDatasets": "gsm8k"}', '{"runId": "ok-23", "evaluationDatasets": [null]}',
    '{"runId": "ok-24", "seed": "x"}', '{"runId": "ok-25", "trainingSamplesPerProblem": 100}', '{"runId": "ok-26", "temperature": -3}',
    '{"runId": "' + "../" * 30 + '"}', '{"runId": "run with spaces"}', '{"runId": "ok-27", "baseModel": ""}',
    '{"runId": "nl\\n"}', '{"runId": "ok-28", "lamda": 0}', '{"runId": "ok-29", "maxNewTokens": 32768}',
    '{"runId": "ok-30", "baseModel": "/etc"}',
]
payloads = [(b, "string") for b in bodies]
while len(payloads) < count - 3:
    payloads.append(('{"runId": "x%d", "samplesPerProblem": %d}' % (len(payloads), 10 ** 9), "string"))
for raw in (b"\x00\xff\xfe garbage", bytes(range(256)), b"\xef\xbb\xbf{\"runId\":"):   # bytes that are not UTF-8 JSON
    payloads.append((base64.b64encode(raw).decode(), "base64"))
assert len(payloads) == count, len(payloads)
for payload, encoding in payloads:
    body = json.dumps({"properties": {"delivery_mode": 2}, "routing_key": "start-pruning-run", "payload": payload, "payload_encoding": encoding}).encode()
    request = urllib.request.Request(f"{api}/exchanges/%2f/amq.default/publish", body, {"content-type": "application/json",
        "authorization": "Basic " + base64.b64encode(auth.encode()).decode()})
    assert json.load(urllib.request.urlopen(request))["routed"], payload
PY
log "published $hostile_count hostile messages next to run $run_id"

# --- forged messages on the other queues (MassTransit envelopes, as a service would publish them) ---
# A RunRejected carrying the live run's id (no submission id): the saga must ignore it and `pruner run` must go on.
# A GenerateRollouts for a run nobody accepted, naming a local folder as its model: dropped to the workers' _error queue.
python3 - "$api" "$run_id" <<'PY'
import base64, json, os, sys, urllib.request, uuid
api, run_id = sys.argv[1], sys.argv[2]
auth = os.environ["PRUNER_RABBITMQ_CONSOLE_USER"] + ":" + os.environ["PRUNER_RABBITMQ_CONSOLE_PASSWORD"]
def publish(message_type, message):
    envelope = {"messageId": str(uuid.uuid4()), "messageType": [f"urn:message:PrunerPipeline.Contracts:{message_type}"], "message": message}
    body = json.dumps({"properties": {"delivery_mode": 2, "content_type": "application/vnd.masstransit+json"}, "routing_key": "",
                       "payload": json.dumps(envelope), "payload_encoding": "string"}).encode()
    request = urllib.request.Request(f"{api}/exchanges/%2f/PrunerPipeline.Contracts:{message_type}/publish", body,
        {"content-type": "application/json", "authorization": "Basic " + base64.b64encode(auth.encode()).decode()})
    assert json.load(urllib.request.urlopen(request))["routed"], message_type
publish("RunRejected", {"runId": run_id, "reasons": ["forged: the live run must ignore this"]})
publish("GenerateRollouts", {"runId": "forged-unknown-run", "sampleSetId": "forged", "shardIndex": 0, "shardCount": 1, "dataset": "synthetic",
    "problemIds": ["synthetic-train-0000"], "baseModel": "/etc", "samplesPerProblem": 1, "maxNewTokens": 8, "temperature": 1.0, "topP": 1.0, "seed": 1})
# Every other command queue: an unknown run (dropped before anything is read or written), a hostile model path for the
# live run (its consumer refuses it; the saga ignores the fault of a command it never issued), a checkpoint from the future.
forged_run = {"runId": "forged-unknown-run"}
publish("ScoreRollouts", {"runId": "forged-unknown-run", "shardIndex": 0, "rolloutsBlob": "/etc/passwd", "dataset": "synthetic", "lambda": 2})
publish("TrainPolicy", {"runId": "forged-unknown-run", "run": forged_run, "rewardsBlobs": ["/etc/passwd"]})
publish("EvaluateCheckpoint", {"runId": "forged-unknown-run", "checkpoint": "/etc", "step": 1, "isFinal": True, "run": forged_run})
publish("EvaluateCheckpoint", {"runId": run_id, "checkpoint": "/etc", "step": 1, "isFinal": True, "run": {"runId": run_id}})
publish("CheckpointPublished", {"runId": run_id, "checkpoint": f"runs/{run_id}/checkpoints/step-999999", "step": 999999, "epoch": 1, "isFinal": True})
PY
faults+=("forged-run-rejected" "forged-generate-rollouts" "forged-score-train-evaluate" "forged-hostile-evaluate-live-run" "forged-checkpoint-from-the-future")
log "published a forged RunRejected for $run_id, GenerateRollouts/ScoreRollouts/TrainPolicy/EvaluateCheckpoint for an unknown run, an EvaluateCheckpoint of /etc for $run_id and its checkpoint step 999999"

# The same run id twice at once with different K: one accepted (this script's follower above may win or lose the race
# with it; either way exactly one settings file is stored and the other request is rejected).
dup_id="e2e-dup-$(date +%s)"
printf '{"runId": "%s", "samplesPerProblem": 2, "trainingProblems": 4, "shardSize": 4, "evaluationProblems": 4, "maxNewTokens": 32}\n' "$dup_id" > "$state/dup-a.json"
printf '{"runId": "%s", "samplesPerProblem": 3, "trainingProblems": 4, "shardSize": 4, "evaluationProblems": 4, "maxNewTokens": 32}\n' "$dup_id" > "$state/dup-b.json"
pruner run "$state/dup-a.json" --bus rabbitmq --timeout 60 > "$state/dup-a.log" 2>&1 &
dup_a=$!
pruner run "$state/dup-b.json" --bus rabbitmq --timeout 60 > "$state/dup-b.log" 2>&1 &
dup_b=$!
# The winner is cancelled as soon as it is accepted: it must not trip the trainer kill or the broker restart below.
deadline=$((SECONDS + 30))
until grep -qs "accepted" "$state/dup-a.log" "$state/dup-b.log" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.5; done
pruner cancel "$dup_id" --bus rabbitmq --reason "e2e: duplicate-submission check done" > "$state/dup-cancel.log" 2>&1 || true
faults+=("duplicate-run-id")

queue_count() { pruner_console_curl -fsS "$api/queues/%2f/$1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin).get("messages", 0))' 2>/dev/null || echo 0; }
exchange_published() { pruner_console_curl -fsS "$api/exchanges/%2f/PrunerPipeline.Contracts:$1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin).get("message_stats", {}).get("publish_in", 0))' 2>/dev/null || echo 0; }
unacked() { pruner_console_curl -fsS "$api/queues/%2f/$1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin).get("messages_unacknowledged", 0))' 2>/dev/null || echo 0; }

# The hostile batch is handled before RabbitMQ restarts (the rejected/error counters must not race the restart).
deadline=$((SECONDS + 60))
# (+2: the forged RunRejected and the duplicate pair's rejection land in the same counting queue.)
while [ $(( $(queue_count e2e-run-rejected) + $(queue_count start-pruning-run_error) )) -lt $((hostile_count + 2)) ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 1; done

# The rollout workers' queue: MassTransit binds the GenerateRollouts exchange to an exchange named like the consumer's queue.
rollout_queue="$(pruner_console_curl -fsS "$api/exchanges/%2f/PrunerPipeline.Contracts:GenerateRollouts/bindings/source" 2>/dev/null \
  | python3 -c 'import json,sys; print(next((b["destination"] for b in json.load(sys.stdin)), "generate-rollouts"))' 2>/dev/null || echo generate-rollouts)"

# --- faults during the run ---
killed_worker=false; trainer_restarted=false; rabbit_restarted=false; final=""
orchestrator_restarted=false; restart_at=0; redrive_seconds="n/a"; recover_seconds="n/a"
stopped_worker=""; azurite_stopped=false; azurite_stop_seconds="${E2E_AZURITE_STOP_SECONDS:-60}"
azurite_restarted=false; azurite_down_seconds="n/a"
azurite_pid="$(cat "$PRUNER_INFRA_DIR/azurite-$PRUNER_AZURITE_BLOB_PORT/azurite-blob.pid" 2>/dev/null || true)"
# SIGTERM, wait for Azurite's exit (it saves its metadata), then start it again on the same port and data folder.
restart_azurite() {
  local began=$SECONDS
  kill -TERM "$azurite_pid" 2>/dev/null || return 1
  for _ in $(seq 1 300); do kill -0 "$azurite_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$azurite_pid" 2>/dev/null; then return 1; fi
  infra/azurite.sh start >&2 || return 1
  azurite_pid="$(cat "$PRUNER_INFRA_DIR/azurite-$PRUNER_AZURITE_BLOB_PORT/azurite-blob.pid")"
  azurite_down_seconds=$((SECONDS - began))
}
start_time=$SECONDS; last_status=$SECONDS
while [ $((SECONDS - start_time)) -lt "$timeout_seconds" ]; do
  if ! $killed_worker && [ -f "$state/rollout-1.killed" ]; then
    expected_dead[rollout-1]=1; killed_worker=true; faults+=("kill-9-rollout-worker")
    log "SIGKILLed rollout-1 mid-shard (its shard went back to $rollout_queue: $(unacked "$rollout_queue") unacknowledged now)"
  fi
  if ! $orchestrator_restarted && [ -f "$state/orchestrator.killed" ]; then
    adopt_orchestrator
    expected_dead[orchestrator]=1; orchestrator_restarted=true; faults+=("kill-9-orchestrator-publishing-shards")
    restart_at="$(cat "$state/orchestrator.killed")"
    log "SIGKILLed the orchestrator as it published the shards and restarted it"
  fi
  # Time to recover: from the kill to the restarted orchestrator's re-drive, and to the first shard reported after it.
  if $orchestrator_restarted && [ "$redrive_seconds" = n/a ] && grep -qs "re-driven (orchestrator start-up)" "$state/orchestrator-2.log"; then
    redrive_seconds=$(( $(date +%s) - restart_at )); log "the restarted orchestrator re-drove the run ${redrive_seconds} s after the kill"
  fi
  # (The restarted one either gets the unacknowledged RunAccepted again, when the kill came before the saga saved, or
  # re-drives the saved Sampling state on start-up: either way it publishes the run's shard commands again.)
  if $orchestrator_restarted && [ "$recover_seconds" = n/a ] && grep -Eqs "Run $run_id: (.* GenerateRollouts commands published|sampling re-driven)" "$state/orchestrator-2.log"; then
    recover_seconds=$(( $(date +%s) - restart_at )); log "the restarted orchestrator published the run's shard commands ${recover_seconds} s after the kill"
  fi
  if [ -z "$stopped_worker" ] && [ -s "$state/rollout.stopped" ]; then
    stopped_worker="$(cat "$state/rollout.stopped")"; faults+=("kill-stop-rollout-worker")
    log "SIGSTOPped $stopped_worker mid-shard for the rest of the run"
  fi
  # Azurite is frozen once sampling is under way after the orchestrator restart: every blob call hangs, then resumes.
  if ! $azurite_stopped && $orchestrator_restarted && [ -n "$azurite_pid" ] && [ "$(exchange_published RolloutsGenerated)" -ge 4 ]; then
    ( kill -STOP "$azurite_pid"; sleep "$azurite_stop_seconds"; kill -CONT "$azurite_pid"; touch "$state/azurite.resumed" ) &
    azurite_stopped=true; faults+=("kill-stop-azurite-${azurite_stop_seconds}s")
    log "SIGSTOPped Azurite for ${azurite_stop_seconds} s"
  fi
  # Azurite is restarted once the restarted trainer has run a step (the SIGSTOP long over): training, the final
  # checkpoint's upload and the evaluation are still ahead, so the restart is inside the run. Blob calls in flight
  # fail with a reset connection, and new ones are refused until the new Azurite listens.
  if ! ${azurite_restart_tried:-false} && $trainer_restarted && [ -f "$state/azurite.resumed" ] && grep -Eqs "Run $run_id step [0-9]+/" "$state/trainer.log"; then
    if restart_azurite; then
      # Only a restart while the run is still going counts as a fault of the run.
      if kill -0 "$follower" 2>/dev/null && ! pruner status "$run_id" --bus rabbitmq --wait 10 2>/dev/null | grep -Eq "Completed|Faulted|Cancelled|Rejected"; then
        faults+=("azurite-restart")
        azurite_restarted=true
      fi
      log "restarted Azurite (down ${azurite_down_seconds} s; during the run: $azurite_restarted)"
    else
      log "could not restart Azurite (log: $PRUNER_INFRA_DIR/azurite-$PRUNER_AZURITE_BLOB_PORT/azurite-blob.log)"
    fi
    azurite_restart_tried=true
  fi
  # Restart the broker once scoring has begun (or at once when the pipeline is incomplete, to still check that
  # the running services and the run's saga state survive it).
  if ! $rabbit_restarted && { [ ${#missing[@]} -gt 0 ] || [ "$(exchange_published RewardsScored)" -gt 0 ]; }; then
    infra/rabbitmq.sh restart >&2
    rabbit_restarted=true; faults+=("rabbitmq-restart")
    log "restarted RabbitMQ"
  fi
  if ! $trainer_restarted && [ -n "${pids[trainer]:-}" ] && [ "$(exchange_published CheckpointPublished)" -gt 0 ]; then
    kill -9 "${pids[trainer]}" 2>/dev/null || true
    start trainer TrainerService Trainer__CheckpointEverySteps=8 Trainer__Threads=1
    trainer_restarted=true; faults+=("kill-9-trainer-restart")
    log "killed and restarted the trainer after its first checkpoint"
  fi
  check_ps
  if ! kill -0 "$follower" 2>/dev/null; then break; fi
  # The follower's temporary queue does not outlive a broker restart; ask the saga itself now and then.
  if [ $((SECONDS - last_status)) -ge 30 ] && last_status=$SECONDS && pruner status "$run_id" --bus rabbitmq --wait 10 2>/dev/null | grep -Eq "Completed|Faulted|Cancelled|Rejected"; then break; fi
  if [ ${#missing[@]} -gt 0 ] && [ $((SECONDS - start_time)) -gt 20 ]; then break; fi
  sleep 0.5
done
kill "$follower" 2>/dev/null || true
final="$(pruner status "$run_id" --bus rabbitmq --wait 15 2>/dev/null || true)"
echo "$final" >&2
completed=false
if grep -q "Completed" <<<"$final"; then completed=true; fi

# --- count (problem, sample) pairs in the store against the request ---
lost="n/a"; duplicated="n/a"
if pruner store cat "runs/$run_id/shards.json" > "$state/shards.json" 2>/dev/null; then
  sample_set="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sampleSetId"])' "$state/shards.json")"
  pruner store get "samples/$sample_set/rollouts" "$state/rollouts" >/dev/null 2>&1 || true
  read -r lost duplicated < <(python3 - "$state/shards.json" "$state/run.json" "$state/rollouts" <<'PY'
import collections, glob, json, sys
plan, run, folder = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
k = run.get("samplesPerProblem", 16)
requested = {(p, s) for shard in plan["shards"] for p in shard for s in range(k)}
seen = collections.Counter()
for path in glob.glob(f"{folder}/*.jsonl"):
    for line in open(path, encoding="utf-8"):
        if line.strip():
            sample = json.loads(line)
            seen[(sample["problemId"], sample["sampleIndex"])] += 1
lost = len(requested - set(seen))
duplicated = sum(n - 1 for n in seen.values()) + len(set(seen) - requested)
print(lost, duplicated)
PY
)
fi

# --- an online method on the same services: a small GRPO run (3 policy updates, 2 shards each) after the main run ---
# Every update's shards are sampled by the surviving workers from the newest policy version, scored, trained as one
# step and published; the trained shards are counted against the plan (each once, none missing).
grpo_id="e2e-grpo-$(date +%s)"; grpo_completed=false; grpo_lost="n/a"; grpo_duplicated="n/a"
printf '{"runId": "%s", "method": "grpo", "trainingProblems": 8, "problemsPerStep": 4, "shardSize": 2, "samplesPerProblem": 2, "onlineSteps": 3, "maxNewTokens": 64, "evaluationProblems": 8, "lengthReward": "kimi", "klCoefficient": 0.04}\n' "$grpo_id" > "$state/grpo.json"
# Beside it, iterated O1-Pruner: 2 rounds, round 2 sampling from round 1's checkpoint on the workers; both rounds'
# results must be recorded (runs/{id}/rounds.json).
rounds_id="e2e-rounds-$(date +%s)"; rounds_completed=false; rounds_recorded=0
printf '{"runId": "%s", "rounds": 2, "trainingProblems": 8, "shardSize": 4, "samplesPerProblem": 2, "maxNewTokens": 64, "evaluationProblems": 8, "epochs": 1}\n' "$rounds_id" > "$state/rounds.json"
if $completed; then
  pruner run "$state/rounds.json" --bus rabbitmq --timeout "${E2E_GRPO_TIMEOUT_SECONDS:-300}" > "$state/rounds.log" 2>&1 &
  rounds_pid=$!
  pruner run "$state/grpo.json" --bus rabbitmq --timeout "${E2E_GRPO_TIMEOUT_SECONDS:-300}" > "$state/grpo.log" 2>&1 || true
  wait "$rounds_pid" || true
  if pruner status "$rounds_id" --bus rabbitmq --wait 15 2>/dev/null | grep -q "Completed"; then rounds_completed=true; fi
  rounds_recorded=$(pruner store cat "runs/$rounds_id/rounds.json" 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>/dev/null || echo 0)
  log "iterated O1-Pruner run $rounds_id: completed=$rounds_completed, rounds recorded=$rounds_recorded (log: $state/rounds.log)"
  if pruner status "$grpo_id" --bus rabbitmq --wait 15 2>/dev/null | grep -q "Completed"; then grpo_completed=true; fi
  if pruner store cat "runs/$grpo_id/shards.json" > "$state/grpo-shards.json" 2>/dev/null; then
    pruner store get "runs/$grpo_id/rewards" "$state/grpo-rewards" >/dev/null 2>&1 || true
    read -r grpo_lost grpo_duplicated < <(python3 - "$state/grpo-shards.json" "$state/grpo-rewards" <<'PY'
import collections, glob, json, os, sys
plan, folder = json.load(open(sys.argv[1])), sys.argv[2]
lost = duplicated = 0
for index, shard in enumerate(plan["shards"]):
    path = os.path.join(folder, f"shard-{index:04d}.jsonl")
    seen = collections.Counter()
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            if line.strip():
                sample = json.loads(line)
                seen[(sample["problemId"], sample["sampleIndex"])] += 1
    requested = {(p, s) for p in shard for s in range(2)}
    lost += len(requested - set(seen))
    duplicated += sum(n - 1 for n in seen.values()) + len(set(seen) - requested)
print(lost, duplicated)
PY
)
  fi
  log "GRPO run $grpo_id: completed=$grpo_completed, trained samples lost=$grpo_lost duplicated=$grpo_duplicated (log: $state/grpo.log)"
fi

# --- hostile messages: rejected with reasons, or dead-lettered with the fault reason ---
# RunRejected events for any run but the valid one (which may itself be rejected, e.g. without a built-in model) and
# the duplicate pair (checked above).
rejected_count="$(pruner_console_curl -fsS -X POST -H 'content-type: application/json' "$api/queues/%2f/e2e-run-rejected/get" \
  -d '{"count": 1000, "ackmode": "ack_requeue_true", "encoding": "auto"}' 2>/dev/null \
  | python3 -c 'import json,sys; print(sum(1 for m in json.load(sys.stdin) if json.loads(m["payload"])["message"].get("runId") not in sys.argv[1:] and json.loads(m["payload"])["message"].get("reasons")))' "$run_id" "$dup_id" 2>/dev/null || echo 0)"
dead_lettered="$(pruner_console_curl -fsS -X POST -H 'content-type: application/json' "$api/queues/%2f/start-pruning-run_error/get" \
  -d '{"count": 1000, "ackmode": "ack_requeue_true", "encoding": "auto"}' 2>/dev/null \
  | python3 -c 'import json,sys; print(sum(1 for m in json.load(sys.stdin) if (m["properties"].get("headers") or {}).get("MT-Fault-Message")))' 2>/dev/null || echo 0)"
rejected=$((rejected_count + dead_lettered))
log "hostile: $rejected_count rejected with reasons, $dead_lettered dead-lettered with a fault reason (of $hostile_count)"

# The duplicate pair: exactly one of the two was accepted, the other rejected with "already exists with different settings".
wait "$dup_a" 2>/dev/null || true; wait "$dup_b" 2>/dev/null || true
dup_rejected="$(grep -l "already exists with different settings" "$state/dup-a.log" "$state/dup-b.log" 2>/dev/null | wc -l || true)"
dup_ok=false
if [ "$dup_rejected" -eq 1 ] && pruner store cat "runs/$dup_id/run.json" >/dev/null 2>&1; then dup_ok=true; fi
log "duplicate run id submitted twice at once: $dup_rejected of 2 rejected (exactly 1 expected)"
forged_dropped="$(pruner_console_curl -fsS -X POST -H 'content-type: application/json' "$api/queues/%2f/${rollout_queue}_error/get" \
  -d '{"count": 1000, "ackmode": "ack_requeue_true", "encoding": "auto"}' 2>/dev/null \
  | python3 -c 'import json,sys; print(sum(1 for m in json.load(sys.stdin) if "unknown" in str((m["properties"].get("headers") or {}).get("MT-Fault-Message", ""))))' 2>/dev/null || echo 0)"
# The other forged commands: each dead-lettered in its consumer's _error queue with the fault reason.
for queue in score-rollouts train-policy evaluate-checkpoint; do
  n="$(pruner_console_curl -fsS -X POST -H 'content-type: application/json' "$api/queues/%2f/${queue}_error/get" \
    -d '{"count": 1000, "ackmode": "ack_requeue_true", "encoding": "auto"}' 2>/dev/null \
    | python3 -c 'import json,sys; print(sum(1 for m in json.load(sys.stdin) if (m["properties"].get("headers") or {}).get("MT-Fault-Message") and json.loads(m["payload"])["message"].get("runId") == "forged-unknown-run"))' 2>/dev/null || echo 0)"
  forged_dropped=$((forged_dropped + n))
done
# The live run's forged evaluation of /etc is dropped by the evaluation service with a line, without a fault.
if grep -qs "EvaluateCheckpoint for run $run_id dropped" "$state/eval.log"; then forged_dropped=$((forged_dropped + 1)); fi
log "forged commands dead-lettered with the reason (4 unknown-run commands) or dropped with a line (the live run's /etc): $forged_dropped of 5"
if grep -q "forged: the live run" "$state/run.log"; then log "the follower printed the forged RunRejected"; fi

crashed=0
for role in "${!pids[@]}"; do
  if [ -z "${expected_dead[$role]:-}" ] && ! kill -0 "${pids[$role]}" 2>/dev/null; then
    crashed=$((crashed + 1)); log "$role crashed (log: $state/$role.log)"
  fi
done

adopt_orchestrator
log "faults injected: rollout worker killed=$killed_worker, trainer restarted=$trainer_restarted, RabbitMQ restarted=$rabbit_restarted, orchestrator restarted=$orchestrator_restarted, Azurite stopped=$azurite_stopped, Azurite restarted=$azurite_restarted, worker stopped=${stopped_worker:-none}"
# The stopped worker's shard moved: the restarted orchestrator re-drove sampling at its deadline (or the broker requeued it on restart).
shard_moved="$(grep -c "sampling re-driven (deadline passed)" "$state/orchestrator-2.log" 2>/dev/null || true)"
log "sampling re-driven at its deadline: $shard_moved time(s); orchestrator kill to its start-up re-drive: ${redrive_seconds} s, to the run's shard commands published again: ${recover_seconds} s"
stranded=0
if ! grep -Eq "Completed|Faulted|Cancelled|Rejected" <<<"$final"; then stranded=1; fi
fault_list="$(IFS=,; echo "${faults[*]}")"
echo "completed=$completed lost=$lost duplicated=$duplicated rejected=$rejected crashed=$crashed stranded=$stranded faults=$fault_list secrets_in_ps=$secrets_seen duplicate_ok=$dup_ok forged_dropped=$forged_dropped orchestrator_recovery_s=$recover_seconds shard_redrives=$shard_moved grpo_completed=$grpo_completed grpo_lost=$grpo_lost grpo_duplicated=$grpo_duplicated rounds_completed=$rounds_completed rounds_recorded=$rounds_recorded"
if [ ${#missing[@]} -gt 0 ]; then
  log "pipeline incomplete: ${missing[*]} not implemented yet"
  # What can be checked still must hold: hostile input handled, nothing crashed, the run known after the broker restart.
  if [ "$rejected" -eq "$hostile_count" ] && [ "$crashed" -eq 0 ] && $rabbit_restarted && grep -Eq "Sampling|Rejected" <<<"$final"; then exit 3; fi
  exit 1
fi
# A pass must have survived every injected fault, not just finished before it came.
if $completed && [ "$lost" = 0 ] && [ "$duplicated" = 0 ] && [ "$crashed" = 0 ] && [ "$rejected" -eq "$hostile_count" ] \
  && $killed_worker && $trainer_restarted && $rabbit_restarted && [ "$secrets_seen" -eq 0 ] && $dup_ok && [ "$forged_dropped" -ge 5 ] \
  && $orchestrator_restarted && $azurite_stopped && $azurite_restarted && [ -n "$stopped_worker" ] \
  && $grpo_completed && [ "$grpo_lost" = 0 ] && [ "$grpo_duplicated" = 0 ] && $rounds_completed && [ "$rounds_recorded" = 2 ]; then
  exit 0
fi
log "failed (logs in $state)"
exit 1
