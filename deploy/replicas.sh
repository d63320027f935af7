#!/usr/bin/env bash
# Replicas without Kubernetes: every core service twice, each connector once, one gateway, all
# on one PostgreSQL, started as separate processes from the built binaries. Services reach each
# other through `services.<name>.url` lists (the services' client takes the instances in turn
# and moves on from one that refuses connections); the gateway's upstreams follow the same
# lists. Development settings (config/default.toml: the HS256 development secret), so this is a
# recipe to read and to try, not a production set-up (see docs/deployment.md).
#
#   deploy/replicas.sh              start, print the addresses, wait for Ctrl-C
#   deploy/replicas.sh --smoke      start, check that requests survive a stopped replica, stop
#
# Environment: PG_URL (an admin connection, default postgres://postgres@127.0.0.1:5432/postgres),
# BIN_DIR (default target/release; built when missing), GATEWAY_PORT (default 8080),
# DB_PREFIX (default payserver_replicas_: each service's database is <prefix><service>, dropped
# and created afresh).
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
BIN_DIR=${BIN_DIR:-target/release}
GATEWAY_PORT=${GATEWAY_PORT:-8080}
DB_PREFIX=${DB_PREFIX:-payserver_replicas_}
SMOKE=${1:-}
LOGS=$(mktemp -d)

# service name | binary | ports of its replicas
SERVICES=(
  "template|template-service|6101 7101"
  "paymode|paymode-service|6102 7102"
  "payorder|payorder-service|6103 7103"
  "refund|refund-service|6104 7104"
  "sign_account|sign-account|6201"
  "member_card|member-card|6202"
)

if [ ! -x "$BIN_DIR/gateway" ]; then
  profile=()
  [ "$BIN_DIR" = target/debug ] || profile=(--release)
  cargo build "${profile[@]}" --workspace --bins
fi

pids=()
declare -A pid_of
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT

# Every process gets the same instance lists and databases; only its own port differs.
pg_base=${PG_URL%/*}
common=(PAYSERVER__GATEWAY__PORT="$GATEWAY_PORT" PAYSERVER__GATEWAY__HOST=127.0.0.1
        PAYSERVER__GATEWAY__UPSTREAMS__WECHAT= PAYSERVER__GATEWAY__UPSTREAMS__ALIPAY=)
for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name _ ports <<<"$entry"
  upper=${name^^}
  db="$DB_PREFIX$name"
  psql "$PG_URL" -qc "drop database if exists \"$db\"" -c "create database \"$db\"" >/dev/null
  urls=$(for p in $ports; do printf 'http://127.0.0.1:%s,' "$p"; done)
  common+=("PAYSERVER__SERVICES__${upper}__URL=${urls%,}"
           "PAYSERVER__SERVICES__${upper}__DATABASE_URL=$pg_base/$db")
done

start() { # name binary port
  local upper=${1^^}
  env "${common[@]}" "PAYSERVER__SERVICES__${upper}__PORT=$3" "$BIN_DIR/$2" >"$LOGS/$1-$3.log" 2>&1 &
  pids+=("$!")
  pid_of[$3]=$!
  echo "$1 on :$3 (pid $!, log $LOGS/$1-$3.log)"
}

for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name binary ports <<<"$entry"
  for port in $ports; do start "$name" "$binary" "$port"; done
done
env "${common[@]}" "$BIN_DIR/gateway" >"$LOGS/gateway.log" 2>&1 &
pids+=("$!")
echo "gateway on :$GATEWAY_PORT (pid $!, log $LOGS/gateway.log)"

ready=
for _ in $(seq 1 120); do
  if curl -fs -o /dev/null "http://127.0.0.1:$GATEWAY_PORT/readyz"; then ready=1; break; fi
  sleep 0.5
done
[ -n "$ready" ] || { curl -sS "http://127.0.0.1:$GATEWAY_PORT/readyz" || true; echo; tail -n 5 "$LOGS"/*.log; exit 1; }
echo "ready: http://127.0.0.1:$GATEWAY_PORT/payServer/api/v1.0.0/..."

if [ "$SMOKE" != "--smoke" ]; then
  echo "Ctrl-C stops every process."
  wait
  exit 0
fi

# The smoke check: a merchant lists what it may open (gateway → paymode → template, both
# replicated) and its templates, opens cash and pays with it (gateway → payorder → paymode),
# and keeps doing so once the first replica of every core service is stopped (gracefully, as a
# rolling update does).
token=$("$BIN_DIR/payserver" token --merchant replicaSmokeMerchant0001)
api="http://127.0.0.1:$GATEWAY_PORT/payServer/api/v1.0.0"
call() { # method path [body] → prints the status
  curl -sS -o "$LOGS/answer.json" -w '%{http_code}' -X "$1" -H "authorization: Bearer $token" \
    -H 'content-type: application/json' ${3:+--data "$3"} "$api/$2"
}
check() { # expected status, method, path [body]
  local got
  got=$(call "$2" "$3" "${4:-}")
  if [ "$got" != "$1" ]; then echo "FAIL $2 $3: $got $(cat "$LOGS/answer.json")"; exit 1; fi
  echo "ok   $2 $3 → $got"
}
for _ in 1 2 3 4; do check 200 GET listAllPayModes; done
for i in 1 2 3 4; do check 200 GET "payModeTemplates?limit=1&offset=$i"; done
cash='C924182F-581B-4990-944A-ABCAB8E552B3'
check 201 POST payModes "{\"payTemplateId\":\"$cash\"}"
mode=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["uuid"])' "$LOGS/answer.json")
pay() { check 200 POST pay "{\"payModeUUID\":\"$mode\",\"payAmount\":100,\"clientPayNo\":\"smoke-$1\"}"; }
for i in 1 2 3 4; do pay "$i"; done

echo "stopping the first replica of template, paymode, payorder and refund"
for entry in "${SERVICES[@]:0:4}"; do
  IFS='|' read -r _ _ ports <<<"$entry"
  first=${ports%% *}
  kill "${pid_of[$first]}"
  wait "${pid_of[$first]}" 2>/dev/null || true
done
for _ in 1 2 3 4; do check 200 GET listAllPayModes; done
for i in 1 2 3 4; do check 200 GET "payModeTemplates?limit=1&offset=$i"; done
for i in 5 6 7 8; do pay "$i"; done
check 200 GET "payOrders?clientPayNo=smoke-8"
grep -q '"size":1' "$LOGS/answer.json" || { echo "FAIL: smoke-8 not found once"; exit 1; }
check 200 GET refundOrders
echo "smoke check passed: requests went to the remaining replicas"
