#!/usr/bin/env bash
# The primary's side of the optional read replica (docker/compose.yaml, `--profile read-replica`;
# docs/deployment.md, "A read replica with compose").
#
# Runs once, when the postgres volume is first initialised (the image runs
# /docker-entrypoint-initdb.d/* then, with a temporary server on the socket). On a volume made
# before, run it by hand (same script, same environment):
#   docker compose -f docker/compose.yaml exec -u postgres postgres /docker-entrypoint-initdb.d/20-read-replica.sh
#
# With POSTGRES_REPLICATION_PASSWORD set:
# - role `replicator` (REPLICATION, LOGIN): what the replica's pg_basebackup and WAL receiver
#   connect as, and a pg_hba.conf line letting it in (scram-sha-256) for replication only;
# - with POSTGRES_READER_PASSWORD also set, role `iomt_reader` with SELECT only, on the tables
#   that exist and (default privileges) on every table the service's migrations create later as
#   POSTGRES_USER. Roles replicate: the service reads the replica as this role (DATABASE_READ_URL).
# Unset: nothing is done, and the default compose (no replica) is unchanged.
# Sourced or executed by the image's entrypoint depending on the file mode: no `exit` here.

if [ -z "${POSTGRES_REPLICATION_PASSWORD:-}" ]; then
  echo "init-read-replica: POSTGRES_REPLICATION_PASSWORD is unset: no replication role (compose runs without a read replica)"
else
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v repl_password="$POSTGRES_REPLICATION_PASSWORD" \
    -v reader_password="${POSTGRES_READER_PASSWORD:-}" \
    -v owner="$POSTGRES_USER" -v db="$POSTGRES_DB" <<'SQL'
SELECT format('CREATE ROLE replicator WITH LOGIN REPLICATION PASSWORD %L', :'repl_password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'replicator') \gexec
SELECT format('ALTER ROLE replicator WITH LOGIN REPLICATION PASSWORD %L', :'repl_password') \gexec

SELECT format('CREATE ROLE iomt_reader WITH LOGIN PASSWORD %L', :'reader_password')
 WHERE :'reader_password' <> '' AND NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'iomt_reader') \gexec
SELECT format('ALTER ROLE iomt_reader WITH LOGIN PASSWORD %L', :'reader_password') WHERE :'reader_password' <> '' \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO iomt_reader', :'db') WHERE :'reader_password' <> '' \gexec
SELECT 'GRANT USAGE ON SCHEMA public TO iomt_reader' WHERE :'reader_password' <> '' \gexec
SELECT 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO iomt_reader' WHERE :'reader_password' <> '' \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT SELECT ON TABLES TO iomt_reader', :'owner')
 WHERE :'reader_password' <> '' \gexec
SQL
  # Replication connections match only the `replication` keyword, never `all`.
  if ! grep -qE '^host[[:space:]]+replication[[:space:]]+replicator[[:space:]]' "$PGDATA/pg_hba.conf"; then
    printf '\n# init-read-replica.sh: the read replica streams WAL as replicator\nhost replication replicator all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  fi
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -c 'SELECT pg_reload_conf()' >/dev/null
  echo "init-read-replica: role replicator ready${POSTGRES_READER_PASSWORD:+, role iomt_reader (SELECT only) ready}"
fi
