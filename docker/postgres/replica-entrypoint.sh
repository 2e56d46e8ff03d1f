#!/usr/bin/env bash
# Entrypoint of the optional read replica (docker/compose.yaml, `--profile read-replica`;
# docs/deployment.md, "A read replica with compose").
#
# First start (empty volume): a base backup of the primary with pg_basebackup, which
# - copies the cluster and streams the WAL written meanwhile (-X stream), so the copy is consistent;
# - creates the physical replication slot `iomt_read_replica` on the primary (-C -S), so the primary
#   keeps the WAL this replica has not received yet (bounded by the primary's
#   max_slot_wal_keep_size, see compose.yaml);
# - writes standby.signal and primary_conninfo (-R): the server then starts as a hot standby that
#   streams from the primary and answers read-only queries.
# Every later start finds the data folder and starts the standby as it is.
# Then the image's own entrypoint starts PostgreSQL (it skips initdb: the folder is not empty).
set -Eeuo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
: "${PRIMARY_HOST:=postgres}"
: "${PGPASSWORD:?set POSTGRES_REPLICATION_PASSWORD in docker/.env for the read replica}"
export PGPASSWORD
SLOT=iomt_read_replica

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  # A slot of this name left by a replica whose volume was removed would hold WAL for nobody and
  # make -C fail: drop it first (this volume is empty, so the slot is not ours). An active slot
  # (another replica streaming on it) refuses the drop, and pg_basebackup below then fails loudly.
  gosu postgres psql "host=$PRIMARY_HOST user=replicator replication=true" -c "DROP_REPLICATION_SLOT $SLOT" >/dev/null 2>&1 || true
  echo "replica-entrypoint: base backup of $PRIMARY_HOST into $PGDATA (slot $SLOT)"
  gosu postgres pg_basebackup --host="$PRIMARY_HOST" --username=replicator --pgdata="$PGDATA" \
    --wal-method=stream --create-slot --slot="$SLOT" --write-recovery-conf --checkpoint=fast --no-password --progress
fi

exec docker-entrypoint.sh "$@"
