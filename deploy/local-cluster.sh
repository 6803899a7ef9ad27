#!/usr/bin/env bash
# scoreflow's cluster topology on one machine, without containers: Temporal's
# own server on PostgreSQL as a process of its own, then several workers
# pointed at it (docs/operations.md, "A cluster on this machine").
#
#   export SCOREFLOW_TEMPORAL_POSTGRES='postgres://temporal:PASSWORD@127.0.0.1:5432/'
#   deploy/local-cluster.sh worker.yaml 3
#
# Every worker reads the same config; each gets SCOREFLOW_WORKER (1, 2, ...) in
# its environment, so the config gives each its own ports, such as
# "listen: 127.0.0.1:808${SCOREFLOW_WORKER}". The config's temporal.address is
# the server's frontend (SCOREFLOW_TEMPORAL_LISTEN, 127.0.0.1:7233 unless set)
# and its store.dsn a PostgreSQL database. The server keeps its data in the
# databases SCOREFLOW_TEMPORAL_DATABASES names (temporal,temporal_visibility
# unless set), which it creates if they are missing. Ctrl-C or SIGTERM stops the workers,
# then the server.
set -euo pipefail

config=${1:?usage: deploy/local-cluster.sh worker.yaml [number of workers, 2 unless given]}
workers=${2:-2}
listen=${SCOREFLOW_TEMPORAL_LISTEN:-127.0.0.1:7233}
databases=${SCOREFLOW_TEMPORAL_DATABASES:-temporal,temporal_visibility}
: "${SCOREFLOW_TEMPORAL_POSTGRES:?set SCOREFLOW_TEMPORAL_POSTGRES to the URL of the PostgreSQL server}"
config=$(realpath "$config")
cd "$(dirname "$0")/.."

bin=$(mktemp -d)
go build -o "$bin/worker" ./worker

server=
pids=()
stop() {
  trap - EXIT INT TERM
  # The workers first, so they drain while Temporal still answers.
  if ((${#pids[@]})); then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  if [[ -n $server ]]; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$bin"
}
trap stop EXIT INT TERM

"$bin/worker" --temporal-server --listen "$listen" --databases "$databases" &
server=$!
host=${listen%:*}
port=${listen##*:}
for ((i = 0; i < 240; i++)); do
  if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
    break
  fi
  kill -0 "$server" 2>/dev/null || { echo "local-cluster: the Temporal server exited" >&2; exit 1; }
  sleep 0.5
done

for ((n = 1; n <= workers; n++)); do
  SCOREFLOW_WORKER=$n "$bin/worker" --config "$config" &
  pids+=($!)
done
echo "local-cluster: Temporal on $listen, $workers workers" >&2
# Until the server or a worker exits, or the script is stopped.
while kill -0 "$server" 2>/dev/null; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "local-cluster: a worker (pid $pid) exited" >&2
      exit 1
    fi
  done
  sleep 1
done
echo "local-cluster: the Temporal server exited" >&2
exit 1
