#!/usr/bin/env bash
# CI (.ci/run): the production start on PostgreSQL with its two logins (docs/adr/0006), end to end.
# On a new database: `npm run db:provision` as the owner, then `npm run server` as the application's
# login (migrating at start through DATABASE_OWNER_URL) answers /health; the same server started
# with the owner in DATABASE_URL must refuse to start. Expects PostgreSQL at 127.0.0.1:5432 with
# trust authentication for postgres (as the CI machine has it). The database is dropped at the end;
# the login `journalkontor_server` is cluster-wide and kept (other runs may use it).
set -euo pipefail
cd "$(dirname "$0")/.."

server=postgres://postgres@127.0.0.1:5432
database="jk_ci_logins_$(openssl rand -hex 4)"
port=$((20000 + RANDOM % 20000))
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 "$server/postgres" "$@"; }

psql_admin -c "create database $database"
server_pid=
# The server runs in a session of its own (setsid), so stopping it stops tsx and its node child
# together; killing only an npm or tsx parent would leave the backend running.
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM -- "-$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}
cleanup() {
  stop_server
  psql_admin -c "drop database if exists $database with (force)" || true
}
trap cleanup EXIT

export DATABASE_OWNER_URL="$server/$database"
export DATABASE_URL="postgres://journalkontor_server:$(openssl rand -hex 16)@127.0.0.1:5432/$database"
export JK_SECRET_KEY="$(openssl rand -base64 32)" JK_PORT="$port" JK_LOG_LEVEL=warn

echo "-- npm run db:provision (owner: postgres; application login: journalkontor_server)"
npm run -s db:provision

echo "-- npm run server as the application's login"
setsid node_modules/.bin/tsx src/server/main.ts &
server_pid=$!
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "the server exited before answering" >&2; exit 1; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health"
echo
login=$(psql -X -tA "$server/$database" -c "select string_agg(distinct usename, ',') from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and application_name <> 'psql'")
echo "connected logins: $login"
[ "$login" = journalkontor_server ] || { echo "expected the server to be connected as journalkontor_server only" >&2; exit 1; }
stop_server

echo "-- npm run server with the owner in DATABASE_URL must refuse"
if output=$(DATABASE_URL="$DATABASE_OWNER_URL" DATABASE_OWNER_URL= npm run -s server 2>&1); then
  echo "the server started as the owner" >&2; exit 1
fi
echo "$output" | grep -q "DATABASE_URL must log in with only the rights of journalkontor_app" || { echo "$output" >&2; exit 1; }
echo "refused, as it must be"
