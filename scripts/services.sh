# Sourced by scripts/test.sh: local PostgreSQL and Redis for the test suite.
PG_PORT=${PG_PORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}
TEST_DATABASE_URL="postgres://stprogram:stprogram@127.0.0.1:$PG_PORT/stprogram"
TEST_APP_DATABASE_URL="postgres://stprogram_app:stprogram_app@127.0.0.1:$PG_PORT/stprogram"
TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"

start_postgres() {
  local version cluster
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  if ! pg_lsclusters -h | grep -q "^$version main"; then
    pg_createcluster "$version" main >/dev/null
  fi
  pg_ctlcluster "$version" main start 2>/dev/null || true
  for _ in $(seq 30); do
    runuser -u postgres -- pg_isready -q -p "$PG_PORT" && break
    sleep 1
  done
  # Two roles, as in production (README, "Deployment"): `stprogram` owns the
  # tables and runs migrations (and the tests, which create their database);
  # `stprogram_app` is what the application connects as. Neither is a
  # superuser or may bypass row-level security.
  runuser -u postgres -- psql -q -p "$PG_PORT" -v ON_ERROR_STOP=1 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'stprogram') THEN
    CREATE ROLE stprogram LOGIN PASSWORD 'stprogram';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'stprogram_app') THEN
    CREATE ROLE stprogram_app LOGIN PASSWORD 'stprogram_app';
  END IF;
END $$;
ALTER ROLE stprogram NOSUPERUSER NOBYPASSRLS CREATEDB;
ALTER ROLE stprogram_app NOSUPERUSER NOBYPASSRLS NOCREATEDB;
SQL
  runuser -u postgres -- psql -q -p "$PG_PORT" -tc \
    "SELECT 1 FROM pg_database WHERE datname='stprogram'" | grep -q 1 ||
    runuser -u postgres -- createdb -p "$PG_PORT" -O stprogram stprogram
}

start_redis() {
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --daemonize yes --save "" --appendonly no >/dev/null
  fi
  for _ in $(seq 20); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "Redis startade inte" >&2
  return 1
}
