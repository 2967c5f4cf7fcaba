#!/usr/bin/env bash
# Start the action server and the Rasa server (or `rasa shell` with --shell) on this machine.
# Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
MODEL=models/microneedling.tar.gz
mkdir -p logs

pids=()
stop_all() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null && wait "${pids[@]}" 2>/dev/null
  echo "Stopped."
}
trap stop_all INT TERM EXIT

wait_for() {  # url name pid
  for _ in $(seq 1 180); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { echo "The $2 stopped while starting; see logs/$2.log" >&2; exit 1; }
    sleep 1
  done
  echo "The $2 did not answer at $1 within 180 s; see logs/$2.log" >&2
  exit 1
}

if [ "${1:-}" = "--shell" ] && curl -fsS -o /dev/null "http://127.0.0.1:$ACTION_PORT/health" 2>/dev/null; then
  echo "Using the action server already running on port $ACTION_PORT."
else
  .venv/bin/python -m rasa_sdk --actions actions --port "$ACTION_PORT" >logs/action-server.log 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$ACTION_PORT/health" action-server "$!"
fi

if [ "${1:-}" = "--shell" ]; then
  # Its own port, so it also works while `make run` serves visitors on $RASA_PORT.
  .venv/bin/rasa shell --model "$MODEL" --endpoints endpoints.yml --port "${SHELL_PORT:-5006}"
  exit 0
fi

echo "Starting the Rasa server (loading the model takes about a minute)..."
.venv/bin/rasa run --model "$MODEL" --endpoints endpoints.yml --credentials credentials.yml \
  --interface 127.0.0.1 --port "$RASA_PORT" >logs/rasa-server.log 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$RASA_PORT/" rasa-server "$!"

cat <<MSG

The assistant is running.
  REST:     curl -s http://localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender": "me", "message": "What is microneedling?"}'
  Terminal: make shell   (in another terminal)
  Logs:     logs/rasa-server.log, logs/action-server.log
Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
echo "A server stopped unexpectedly; see logs/." >&2
exit 1
