#!/usr/bin/env bash
# Scale-out profile (`make run-cluster`, docs/operations.md, "Running on several servers"): several Rasa
# servers behind nginx, sharing conversations through PostgreSQL (tracker store) and Redis
# (lock store), and one action server, all on loopback. Ctrl-C stops everything it started.
#
# Settings (environment variables):
#   RASA_SERVERS=2        how many Rasa servers
#   LB_PORT=5005          nginx: where visitors, channels and the web page reach the assistant
#   RASA_BASE_PORT=5011   the Rasa servers listen on 5011, 5012, ... (127.0.0.1, behind nginx)
#   ACTION_PORT=5055  WEB_PORT=8080
#   CLUSTER_SERVICES=local  local: start a private PostgreSQL and Redis (Debian's packages),
#                           their data kept in CLUSTER_DIR across runs;
#                           external: use the servers at the addresses below (e.g. managed ones)
#   POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=5432 POSTGRES_DB=microneedling POSTGRES_USER=rasa
#   POSTGRES_PASSWORD     required with external; with local, generated on the first run and
#                         kept in CLUSTER_DIR/postgres-password
#   REDIS_HOST=127.0.0.1 REDIS_PORT=6379 REDIS_DB=1
#   CHAT_ORIGINS          web page origins allowed to call the assistant (CORS, widget socket), as for make run
#   RATE_LIMIT_PER_VISITOR=30 RATE_LIMIT_PER_ADDRESS=120  messages a minute (0: no limit), as for
#                         make run; per address, nginx limits REST over all servers
#   ENDPOINTS=endpoints.cluster.yml  CREDENTIALS=credentials.yml
#   CLUSTER_DIR=.cluster  LOG_DIR=logs
# Status goes to stdout; a problem is one line on stderr and exit status 1.
set -euo pipefail
cd "$(dirname "$0")/.."

RASA_SERVERS=${RASA_SERVERS:-2}
LB_PORT=${LB_PORT:-5005}
RASA_BASE_PORT=${RASA_BASE_PORT:-5011}
WEB_PORT=${WEB_PORT:-8080}
CLUSTER_SERVICES=${CLUSTER_SERVICES:-local}
export CHAT_ORIGINS=${CHAT_ORIGINS:-"http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT"}  # read by connectors/web.py too
ENDPOINTS=${ENDPOINTS:-endpoints.cluster.yml}
CREDENTIALS=${CREDENTIALS:-credentials.yml}
CLUSTER_DIR=$(mkdir -p "${CLUSTER_DIR:-.cluster}" && cd "${CLUSTER_DIR:-.cluster}" && pwd)
LOG_DIR=${LOG_DIR:-logs}
MODEL=models/microneedling.tar.gz
export ACTION_HOST=127.0.0.1 ACTION_PORT=${ACTION_PORT:-5055}
export POSTGRES_HOST=${POSTGRES_HOST:-127.0.0.1} POSTGRES_PORT=${POSTGRES_PORT:-5432}
export POSTGRES_DB=${POSTGRES_DB:-microneedling} POSTGRES_USER=${POSTGRES_USER:-rasa}
export REDIS_HOST=${REDIS_HOST:-127.0.0.1} REDIS_PORT=${REDIS_PORT:-6379} REDIS_DB=${REDIS_DB:-1}
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2} SQLALCHEMY_SILENCE_UBER_WARNING=1

die() { echo "error: $*" >&2; exit 1; }

read -r -a origins <<<"$CHAT_ORIGINS"  # one origin per word, no glob expansion
for origin in "${origins[@]}"; do
  [[ "$origin" == http://* || "$origin" == https://* ]] \
    || die "CHAT_ORIGINS must list page origins such as https://www.example-clinic.com (got '$origin')"
done
for limit in RATE_LIMIT_PER_VISITOR RATE_LIMIT_PER_ADDRESS; do
  [[ "${!limit:-0}" =~ ^[0-9]+$ ]] || die "$limit must be a whole number of messages a minute, 0 for no limit (got '${!limit}')"
done
[ "$RASA_SERVERS" -ge 1 ] 2>/dev/null || die "RASA_SERVERS must be a number of servers, 1 or more (got '$RASA_SERVERS')"
[ -f "$MODEL" ] || die "$MODEL is missing: run \`make train\`"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pids=()
postgres_started=""
stop_all() {
  trap - INT TERM EXIT
  set +e  # stop everything even if some of it has already stopped
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null && wait "${pids[@]}" 2>/dev/null
  [ -z "$postgres_started" ] || stop_local_postgres
  echo "Stopped."
}

# --- PostgreSQL and Redis of our own (CLUSTER_SERVICES=local) ----------------------

as_postgres=()  # PostgreSQL refuses to run as root: use Debian's postgres user then
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
stop_local_postgres() {
  "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$CLUSTER_DIR/postgres" -m fast stop >/dev/null 2>&1 || true
}
start_local_postgres() {
  local bin=$pg_bin data run
  [ -x "$bin/postgres" ] || die "PostgreSQL is not installed: apt-get install postgresql"
  port_in_use "$POSTGRES_PORT" && die "port $POSTGRES_PORT is already in use: set POSTGRES_PORT, or CLUSTER_SERVICES=external to use the PostgreSQL there"
  data=$CLUSTER_DIR/postgres
  run=$CLUSTER_DIR/postgres-run
  mkdir -p "$run"
  if [ "$(id -u)" = 0 ]; then
    as_postgres=(runuser -u postgres --)
    chown postgres: "$run"
    [ -d "$data" ] || install -d -o postgres -g postgres -m 700 "$data"
  fi
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    [ -f "$CLUSTER_DIR/postgres-password" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$CLUSTER_DIR/postgres-password")
    POSTGRES_PASSWORD=$(cat "$CLUSTER_DIR/postgres-password")
  fi
  export POSTGRES_PASSWORD
  if [ ! -f "$data/PG_VERSION" ]; then
    echo "Creating the PostgreSQL database in $data ..."
    (umask 077; printf '%s\n' "$POSTGRES_PASSWORD" > "$run/pwfile")
    [ ${#as_postgres[@]} -eq 0 ] || chown postgres: "$run/pwfile"
    "${as_postgres[@]}" "$bin/initdb" -D "$data" -U "$POSTGRES_USER" --pwfile="$run/pwfile" \
      --auth-host=scram-sha-256 --auth-local=peer -E UTF8 >"$run/initdb.log" 2>&1 \
      || { rm -f "$run/pwfile"; die "initdb failed; see $run/initdb.log"; }
    rm -f "$run/pwfile"
  fi
  "${as_postgres[@]}" "$bin/pg_ctl" -D "$data" -l "$run/postgres.log" -w -t 60 \
    -o "-h $POSTGRES_HOST -p $POSTGRES_PORT -k $run" start >/dev/null \
    || die "PostgreSQL did not start; see $run/postgres.log"
  postgres_started=1
  # The name goes in as a psql variable (:'db' quotes it), never into the SQL text.
  if ! PGPASSWORD=$POSTGRES_PASSWORD "$bin/psql" -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d postgres \
      -tA -v ON_ERROR_STOP=1 -v db="$POSTGRES_DB" <<<"SELECT 1 FROM pg_database WHERE datname = :'db'" | grep -q 1; then
    PGPASSWORD=$POSTGRES_PASSWORD "$bin/createdb" -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" "$POSTGRES_DB"
  fi
  echo "PostgreSQL on $POSTGRES_HOST:$POSTGRES_PORT (data: $data)"
}

start_local_redis() {
  command -v redis-server >/dev/null || die "Redis is not installed: apt-get install redis-server"
  port_in_use "$REDIS_PORT" && die "port $REDIS_PORT is already in use: set REDIS_PORT, or CLUSTER_SERVICES=external to use the Redis there"
  mkdir -p "$CLUSTER_DIR/redis"
  # Only locks live there, while a message is handled; kept on disk so that a restart
  # mid-message does not let the visitor's next message run beside it (and one be lost).
  # The file is compacted from 1 MB on, so the ids of finished conversations do not pile up.
  redis-server --port "$REDIS_PORT" --bind "$REDIS_HOST" --dir "$CLUSTER_DIR/redis" \
    --save '' --appendonly yes --appendfsync everysec --auto-aof-rewrite-min-size 1mb >"$LOG_DIR/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do port_in_use "$REDIS_PORT" && break; sleep 0.1; done
  echo "Redis on $REDIS_HOST:$REDIS_PORT"
}

# --- start ---------------------------------------------------------------------------

trap stop_all INT TERM EXIT
case "$CLUSTER_SERVICES" in
  local)
    mkdir -p "$LOG_DIR"
    start_local_postgres
    start_local_redis ;;
  external) ;;
  *) die "CLUSTER_SERVICES must be local or external (got '$CLUSTER_SERVICES')" ;;
esac

# One line on stderr, naming the store and its address, if PostgreSQL or Redis does not answer.
.venv/bin/python scripts/check_services.py "$ENDPOINTS" || exit 1
mkdir -p "$LOG_DIR"

wait_for() {  # url name pid
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || die "the $2 stopped while starting; see $LOG_DIR/$2.log"
    sleep 1
  done
  die "the $2 did not answer at $1 within 240 s; see $LOG_DIR/$2.log"
}

# SANIC_HOST: rasa_sdk has no --interface option; this keeps it on loopback.
# SANIC_KEEP_ALIVE_TIMEOUT: Rasa opens a connection per action call and, busy, may write
# the request seconds later; Sanic's default 5 s closed such connections and failed the turn.
# ENDPOINTS: callback requests are kept in the tracker store's database.
ENDPOINTS="$ENDPOINTS" SANIC_HOST=127.0.0.1 SANIC_KEEP_ALIVE_TIMEOUT=120 .venv/bin/python -m rasa_sdk --actions actions --port "$ACTION_PORT" \
  >"$LOG_DIR/action-server.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$ACTION_PORT/health" action-server "$!"

# Behind nginx: a client's address is the one nginx forwards (X-Forwarded-For), for the limits.
export SANIC_PROXIES_COUNT=1
echo "Starting $RASA_SERVERS Rasa servers (loading the model takes about a minute)..."
rasa_pids=() upstreams=()
for i in $(seq 1 "$RASA_SERVERS"); do
  port=$((RASA_BASE_PORT + i - 1))
  .venv/bin/rasa run --model "$MODEL" --endpoints "$ENDPOINTS" --credentials "$CREDENTIALS" \
    --cors "${origins[@]}" --interface 127.0.0.1 --port "$port" >"$LOG_DIR/rasa-$i.log" 2>&1 &
  pids+=($!) rasa_pids+=($!) upstreams+=(--server "127.0.0.1:$port")
done
for i in $(seq 1 "$RASA_SERVERS"); do
  wait_for "http://127.0.0.1:$((RASA_BASE_PORT + i - 1))/" "rasa-$i" "${rasa_pids[$((i - 1))]}"
done

# The per-address limit: RATE_LIMIT_PER_ADDRESS when set, else connectors/limits.py's default.
per_address=()
if [ -n "${RATE_LIMIT_PER_ADDRESS:-}" ]; then per_address=(--per-address "$RATE_LIMIT_PER_ADDRESS"); fi
conf=$(.venv/bin/python scripts/cluster_nginx.py --prefix "$CLUSTER_DIR/nginx" --listen "127.0.0.1:$LB_PORT" \
  "${per_address[@]}" "${upstreams[@]}")
"$NGINX" -p "$CLUSTER_DIR/nginx" -c "$conf" -g 'daemon off;' >"$LOG_DIR/nginx.log" 2>&1 &
nginx_pid=$!
pids+=($nginx_pid)
wait_for "http://127.0.0.1:$LB_PORT/" nginx "$nginx_pid"
# The access log holds client addresses: rotated at 10 MB, 5 old files kept.
.venv/bin/python scripts/rotate_log.py --log "$CLUSTER_DIR/nginx/access.log" --pid "$nginx_pid" \
  >"$LOG_DIR/rotate-log.log" 2>&1 &
pids+=($!)

web=""
if [ -f scripts/serve_web.py ]; then
  .venv/bin/python scripts/serve_web.py --port "$WEB_PORT" --rasa-port "$LB_PORT" >"$LOG_DIR/web.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$WEB_PORT/" web "$!"
  web="  Web page: http://localhost:$WEB_PORT"
fi

cat <<MSG

The assistant is running on $RASA_SERVERS Rasa servers behind nginx.
$web
  REST:     curl -s http://localhost:$LB_PORT/webhooks/rest/webhook -d '{"sender": "me", "message": "What is microneedling?"}'
  Stores:   PostgreSQL $POSTGRES_HOST:$POSTGRES_PORT/$POSTGRES_DB, Redis $REDIS_HOST:$REDIS_PORT ($CLUSTER_SERVICES)
  Logs:     $LOG_DIR/rasa-*.log, action-server.log, nginx.log; requests per server: $CLUSTER_DIR/nginx/access.log (rotated at 10 MB, 5 kept)
Press Ctrl-C to stop.
MSG

# A Rasa server that stops is reported; the others carry on. Anything else stops everything.
reported=()
while sleep 2; do
  alive_rasa=0
  for i in "${!rasa_pids[@]}"; do
    if kill -0 "${rasa_pids[$i]}" 2>/dev/null; then
      alive_rasa=$((alive_rasa + 1))
    elif [ -z "${reported[$i]:-}" ]; then
      echo "Rasa server $((i + 1)) stopped; see $LOG_DIR/rasa-$((i + 1)).log. nginx sends its visitors to the others." >&2
      reported[$i]=1
    fi
  done
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null && [[ " ${rasa_pids[*]} " != *" $pid "* ]]; then
      echo "A server stopped unexpectedly; see $LOG_DIR/." >&2
      exit 1
    fi
  done
  [ "$alive_rasa" -gt 0 ] || { echo "No Rasa server is left; see $LOG_DIR/." >&2; exit 1; }
done
