#!/usr/bin/env bash
# Start the action server, the Rasa server and the chat page (or a terminal chat with --shell)
# on this machine. Ctrl-C stops everything this script started.
#
# Settings (environment variables):
#   RASA_PORT=5005  ACTION_PORT=5055  WEB_PORT=8080  SHELL_PORT=5006
#   CHAT_ORIGINS    page origins allowed to call the Rasa server (CORS, widget socket), space separated;
#                   default "http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT". Never "*".
#   CHAT_SOCKET_URL the Rasa server's address as browsers see it (default: the page's host
#                   name on RASA_PORT)
#   RATE_LIMIT_PER_VISITOR=30  RATE_LIMIT_PER_ADDRESS=120  messages a minute, 0 for no limit
#                   (connectors/limits.py)
#   ENDPOINTS=endpoints.yml  CREDENTIALS=credentials.yml  LOG_DIR=logs
set -euo pipefail
cd "$(dirname "$0")/.."

RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
WEB_PORT=${WEB_PORT:-8080}
export CHAT_ORIGINS=${CHAT_ORIGINS:-"http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT"}  # read by connectors/web.py too
CHAT_SOCKET_URL=${CHAT_SOCKET_URL:-}
ENDPOINTS=${ENDPOINTS:-endpoints.yml}
CREDENTIALS=${CREDENTIALS:-credentials.yml}
LOG_DIR=${LOG_DIR:-logs}
MODEL=models/microneedling.tar.gz
mkdir -p "$LOG_DIR"

read -r -a origins <<<"$CHAT_ORIGINS"  # one origin per word, no glob expansion
for origin in "${origins[@]}"; do
  if [[ "$origin" != http://* && "$origin" != https://* ]]; then
    echo "CHAT_ORIGINS must list page origins such as https://www.example-clinic.com (got '$origin')." >&2
    exit 2
  fi
done
for limit in RATE_LIMIT_PER_VISITOR RATE_LIMIT_PER_ADDRESS; do
  if [[ ! "${!limit:-0}" =~ ^[0-9]+$ ]]; then
    echo "$limit must be a whole number of messages a minute, 0 for no limit (got '${!limit}')." >&2
    exit 2
  fi
done

pids=()
stop_all() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  echo "Stopped."
}
trap 'stop_all; exit 0' INT TERM  # Ctrl-C is the normal way to stop
trap stop_all EXIT

wait_for() {  # url name pid
  for _ in $(seq 1 180); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { echo "The $2 stopped while starting; see $LOG_DIR/$2.log" >&2; exit 1; }
    sleep 1
  done
  echo "The $2 did not answer at $1 within 180 s; see $LOG_DIR/$2.log" >&2
  exit 1
}

if [ "${1:-}" = "--shell" ] && curl -fsS -o /dev/null "http://127.0.0.1:$ACTION_PORT/health" 2>/dev/null; then
  echo "Using the action server already running on port $ACTION_PORT."
else
  # SANIC_HOST: rasa_sdk has no --interface option; this keeps it on loopback.
  # SANIC_KEEP_ALIVE_TIMEOUT: Rasa opens a connection per action call and, busy, may write
  # the request seconds later; Sanic's default 5 s closed such connections and failed the turn.
  # ENDPOINTS: callback requests are kept in the tracker store's database.
  ENDPOINTS="$ENDPOINTS" SANIC_HOST=127.0.0.1 SANIC_KEEP_ALIVE_TIMEOUT=120 .venv/bin/python -m rasa_sdk --actions actions --port "$ACTION_PORT" \
    >"$LOG_DIR/action-server.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$ACTION_PORT/health" action-server "$!"
fi

if [ "${1:-}" = "--shell" ]; then
  # Its own server and port, so it also works while `make run` serves visitors on
  # $RASA_PORT; the console talks to its REST channel, as visitors' messages come in.
  SHELL_PORT=${SHELL_PORT:-5006}
  echo "Starting the assistant for the shell (loading the model takes about a minute; log: $LOG_DIR/shell-server.log)..."
  # The REST channel only: the credentials file's other channels (Telegram) would register
  # their webhooks again from this server.
  .venv/bin/rasa run --model "$MODEL" --endpoints "$ENDPOINTS" --connector connectors.web.RestInput \
    --interface 127.0.0.1 --port "$SHELL_PORT" >"$LOG_DIR/shell-server.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$SHELL_PORT/" shell-server "$!"
  .venv/bin/python scripts/shell.py --url "http://127.0.0.1:$SHELL_PORT"
  exit 0
fi

.venv/bin/python scripts/serve_web.py --port "$WEB_PORT" --rasa-port "$RASA_PORT" \
  --socket-url "$CHAT_SOCKET_URL" >"$LOG_DIR/web.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$WEB_PORT/" web "$!"

echo "Starting the Rasa server (loading the model takes about a minute)..."
.venv/bin/rasa run --model "$MODEL" --endpoints "$ENDPOINTS" --credentials "$CREDENTIALS" \
  --cors "${origins[@]}" --interface 127.0.0.1 --port "$RASA_PORT" >"$LOG_DIR/rasa-server.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$RASA_PORT/" rasa-server "$!"

cat <<MSG

The assistant is running.
  Web page: http://localhost:$WEB_PORT   (the chat widget is bottom right)
  REST:     curl -s http://localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender": "me", "message": "What is microneedling?"}'
  Terminal: make shell   (in another terminal)
  Logs:     $LOG_DIR/rasa-server.log, $LOG_DIR/action-server.log, $LOG_DIR/web.log
Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
echo "A server stopped unexpectedly; see $LOG_DIR/." >&2
exit 1
