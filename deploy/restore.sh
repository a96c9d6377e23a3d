#!/bin/sh
# Restore a backup made by deploy/backup.sh into an EMPTY database and data directory.
#
#   createdb heard_restored
#   DATABASE_URL=postgres://…/heard_restored HEARD_DATA_DIR=/var/lib/heard \
#     deploy/restore.sh /backups/heard-20261125T190000Z.dump /backups/heard-20261125T190000Z-files.tar.gz
#   heard migrate --check     # nothing to apply when the code is the version that was backed up
#
# Stop the web, worker and scheduler processes first; start them again afterwards.
set -eu
dump=${1:?usage: restore.sh DUMP FILES.tar.gz}
files=${2:?usage: restore.sh DUMP FILES.tar.gz}
: "${DATABASE_URL:?set DATABASE_URL to the empty database to restore into}"
data_dir=${HEARD_DATA_DIR:-var}
attachments_dir=${HEARD_ATTACHMENTS_DIR:-$data_dir/attachments}

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$dump"

mkdir -p "$data_dir" "$attachments_dir"
tar -xzf "$files" -C "$attachments_dir" --strip-components=1 attachments
if tar -tzf "$files" secret_key >/dev/null 2>&1; then
  tar -xzf "$files" -C "$data_dir" secret_key
  chmod 600 "$data_dir/secret_key"
fi
