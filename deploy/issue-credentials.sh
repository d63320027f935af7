#!/usr/bin/env bash
# Issues payserver's production credentials (docs/deployment.md "Credentials").
#
# Production verifies tokens with a public key only (auth.algorithm = ES256), so no pod can mint
# a token; the operator holds the private key and issues each credential with it:
#   auth.service_token                  role service, aud payserver-internal       paymode, payorder, refund
#   auth.connector_call_tokens.<NAME>   role service, aud payserver-connector:NAME paymode, payorder, refund
#   auth.connector_tokens.<NAME>        role connector, connector = NAME           connector NAME only
# for NAME in sign_account, member_card, wechat, alipay. The gateway and template-service hold no
# token: they only verify.
#
# Usage (from anywhere; paths are relative to the current directory):
#   deploy/issue-credentials.sh [--dir DIR] [--ttl SECONDS] [--new-key]
#       Writes into DIR (default: deploy/credentials of the repository; mode 0700):
#         jwt-private.pem   the ES256 private key (PKCS#8). Keep it OFF every server and cluster.
#                           Made once; reused by later runs unless --new-key.
#         jwt-public.pem    its public key, what every binary verifies with
#         credentials.env   for `docker compose --env-file DIR/credentials.env up`
#         kubernetes.yaml   ConfigMap payserver-auth (algorithm, public key) and one Secret
#                           payserver-credentials-<workload> per workload: `kubectl apply -f`
#       --ttl SECONDS   lifetime of the issued tokens (default 31536000, one year)
#       --new-key       make a new key pair even if DIR has one (key rotation: every token is
#                       issued anew with it, so every workload must be rolled together)
#   deploy/issue-credentials.sh [--dir DIR] token ARGS...
#       Prints one more token signed with DIR's key: `payserver token ARGS` (user tokens, e.g.
#       `token --role admin --subject ops --ttl 3600`, `token --merchant UUID`).
#
# The payserver binary: $PAYSERVER_BIN, else target/release/payserver of the repository, else
# `cargo run --release -q --`. It runs in an empty directory with only the settings below
# (environment production, ES256, the public key) so that the configuration of the machine it
# runs on (config/default.toml, PAYSERVER__* variables) plays no part, except
# PAYSERVER__AUTH__ISSUER and PAYSERVER__AUTH__AUDIENCE, which are passed on when set: set them
# as the deployment does, since they go into every token.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$ROOT/deploy/credentials
TTL=31536000
NEW_KEY=
MODE=issue
CONNECTORS=(sign_account member_card wechat alipay)

die() { echo "issue-credentials: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || die "--dir needs a directory"; DIR=$2; shift 2 ;;
    --ttl) [ $# -ge 2 ] || die "--ttl needs seconds"; TTL=$2; shift 2 ;;
    --new-key) NEW_KEY=1; shift ;;
    token) MODE=token; shift; break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
case "$TTL" in ''|*[!0-9]*) die "--ttl must be a number of seconds" ;; esac

command -v openssl >/dev/null || die "openssl is needed"
if [ -n "${PAYSERVER_BIN:-}" ]; then
  case "$PAYSERVER_BIN" in # it runs from another directory
    /*) ;;
    */*) PAYSERVER_BIN=$(cd "$(dirname "$PAYSERVER_BIN")" && pwd)/$(basename "$PAYSERVER_BIN") ;;
  esac
  PAYSERVER=("$PAYSERVER_BIN")
elif [ -x "$ROOT/target/release/payserver" ]; then
  PAYSERVER=("$ROOT/target/release/payserver")
else
  command -v cargo >/dev/null || die "no payserver binary: set PAYSERVER_BIN, or build it (cargo build --release)"
  PAYSERVER=(cargo run --release -q --manifest-path "$ROOT/Cargo.toml" -p payserver --bin payserver --)
fi

if [ "$MODE" = token ]; then
  [ -d "$DIR" ] || die "no key pair in $DIR: run $0 --dir $DIR first"
  DIR=$(cd "$DIR" && pwd)
else
  DIR=$(mkdir -p "$DIR" && cd "$DIR" && pwd)
  chmod 700 "$DIR"
fi
PRIVATE=$DIR/jwt-private.pem
PUBLIC=$DIR/jwt-public.pem
umask 077
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# `payserver token` with nothing but the settings it needs; prints the token.
payserver_token() {
  (
    cd "$WORK"
    for v in $(compgen -e); do
      case "$v" in
        PAYSERVER__AUTH__ISSUER|PAYSERVER__AUTH__AUDIENCE) ;;
        PAYSERVER__*) unset "$v" ;;
      esac
    done
    export PAYSERVER__ENVIRONMENT=production \
      PAYSERVER__AUTH__ALGORITHM=ES256 \
      PAYSERVER__AUTH__JWT_PUBLIC_KEY_FILE="$PUBLIC"
    "${PAYSERVER[@]}" token --private-key "$PRIVATE" "$@"
  )
}

if [ "$MODE" = token ]; then
  [ -f "$PRIVATE" ] && [ -f "$PUBLIC" ] || die "no key pair in $DIR: run $0 --dir $DIR first"
  payserver_token "$@"
  exit 0
fi

# --- the key pair --------------------------------------------------------------------------
if [ -n "$NEW_KEY" ] || [ ! -f "$PRIVATE" ]; then
  openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "$PRIVATE.new"
  mv "$PRIVATE.new" "$PRIVATE"
  echo "issue-credentials: new ES256 key pair in $DIR" >&2
else
  echo "issue-credentials: reusing the key pair in $DIR (--new-key for a new one)" >&2
fi
openssl pkey -in "$PRIVATE" -pubout -out "$PUBLIC" 2>/dev/null || die "$PRIVATE is not a readable private key"
chmod 600 "$PRIVATE"
chmod 644 "$PUBLIC"

# --- the tokens ----------------------------------------------------------------------------
upper() { printf '%s' "$1" | tr '[:lower:]' '[:upper:]'; }
kebab() { printf '%s' "$1" | tr '_' '-'; }
check() { # name token: three base64url parts, or die
  [[ "$2" =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]] || die "payserver token gave no token for $1"
}

SERVICE_TOKEN=$(payserver_token --internal --subject payserver-service --ttl "$TTL")
check service_token "$SERVICE_TOKEN"
# CALL_<name> and CONN_<name> (no associative arrays: macOS still ships bash 3.2).
call() { local v=CALL_$1; printf '%s' "${!v}"; }
conn() { local v=CONN_$1; printf '%s' "${!v}"; }
for name in "${CONNECTORS[@]}"; do
  printf -v "CALL_$name" '%s' "$(payserver_token --for-connector "$name" --subject payserver-service --ttl "$TTL")"
  check "connector_call_tokens.$name" "$(call "$name")"
  printf -v "CONN_$name" '%s' "$(payserver_token --connector "$name" --subject "connector:$name" --ttl "$TTL")"
  check "connector_tokens.$name" "$(conn "$name")"
done
ISSUED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
EXPIRES=$(date -u -d "@$(( $(date +%s) + TTL ))" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || echo "in $TTL s")

# --- docker compose ------------------------------------------------------------------------
{
  echo "# payserver credentials for docker-compose.yml, issued $ISSUED by deploy/issue-credentials.sh;"
  echo "# the tokens expire $EXPIRES. SECRET: keep this file out of version control."
  echo "#   docker compose --env-file $DIR/credentials.env up --build -d"
  echo "PAYSERVER_JWT_ALGORITHM=ES256"
  # Double quotes: compose turns \n into line breaks.
  printf 'PAYSERVER_JWT_PUBLIC_KEY="%s"\n' "$(awk '{printf "%s\\n", $0}' "$PUBLIC")"
  echo "# paymode, payorder, refund: auth.service_token and auth.connector_call_tokens.<name>"
  echo "PAYSERVER_SERVICE_TOKEN='$SERVICE_TOKEN'"
  for name in "${CONNECTORS[@]}"; do
    echo "PAYSERVER_CALL_TOKEN_$(upper "$name")='$(call "$name")'"
  done
  echo "# each connector's own credential (auth.connector_tokens.<name>), given to that connector only"
  for name in "${CONNECTORS[@]}"; do
    echo "PAYSERVER_CONNECTOR_TOKEN_$(upper "$name")='$(conn "$name")'"
  done
} >"$DIR/credentials.env.new"
mv "$DIR/credentials.env.new" "$DIR/credentials.env"

# --- Kubernetes ----------------------------------------------------------------------------
secret_header() { # workload
  cat <<EOF
---
apiVersion: v1
kind: Secret
metadata:
  name: payserver-credentials-$1
  namespace: payserver
  labels:
    app.kubernetes.io/name: $1
    app.kubernetes.io/part-of: payserver
  annotations:
    payserver/issued: "$ISSUED"
    payserver/expires: "$EXPIRES"
type: Opaque
stringData:
EOF
}
{
  echo "# payserver credentials, issued $ISSUED by deploy/issue-credentials.sh; the tokens expire"
  echo "# $EXPIRES. SECRET: keep this file out of version control. Apply it, then (re)start the pods:"
  echo "#   kubectl apply -f $DIR/kubernetes.yaml"
  echo "#   kubectl -n payserver rollout restart deploy -l app.kubernetes.io/part-of=payserver"
  cat <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: payserver-auth
  namespace: payserver
  labels:
    app.kubernetes.io/part-of: payserver
  annotations:
    payserver/issued: "$ISSUED"
data:
  PAYSERVER__AUTH__ALGORITHM: ES256
  PAYSERVER__AUTH__JWT_PUBLIC_KEY: |
$(sed 's/^/    /' "$PUBLIC")
EOF
  for workload in paymode payorder refund; do
    secret_header "$workload"
    echo "  service-token: \"$SERVICE_TOKEN\""
    for name in "${CONNECTORS[@]}"; do
      echo "  call-token-$(kebab "$name"): \"$(call "$name")\""
    done
  done
  for name in "${CONNECTORS[@]}"; do
    secret_header "$(kebab "$name")"
    echo "  connector-token: \"$(conn "$name")\""
  done
} >"$DIR/kubernetes.yaml.new"
mv "$DIR/kubernetes.yaml.new" "$DIR/kubernetes.yaml"

cat >&2 <<EOF
issue-credentials: issued 1 service token, ${#CONNECTORS[@]} connector call tokens and ${#CONNECTORS[@]} connector credentials (ES256, until $EXPIRES):
  $PRIVATE    private key: keep it off every server and cluster
  $PUBLIC     public key
  $DIR/credentials.env    docker compose --env-file $DIR/credentials.env up --build -d
  $DIR/kubernetes.yaml    kubectl apply -f $DIR/kubernetes.yaml
EOF
