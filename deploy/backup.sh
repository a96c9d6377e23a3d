#!/bin/sh
# Back up Heard: the database (pg_dump, custom format) and the files kept beside it — the
# customers' attachments and the generated secret key (which signs tracking links).
#
#   DATABASE_URL=postgres://… HEARD_DATA_DIR=/var/lib/heard deploy/backup.sh /backups
#
# writes /backups/heard-<UTC time>.dump and /backups/heard-<UTC time>-files.tar.gz. The
# database is dumped first, then the files, so every attachment the dump refers to is in
# the archive (a file uploaded in between is only an extra). Both hold personal data:
# keep them as securely as the database itself. docs/administrators.md has the procedure.
set -eu
destination=${1:?usage: backup.sh DIRECTORY}
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
data_dir=${HEARD_DATA_DIR:-var}
attachments_dir=${HEARD_ATTACHMENTS_DIR:-$data_dir/attachments}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$destination"
mkdir -p "$attachments_dir"

pg_dump --format=custom --no-owner --no-privileges \
  --file="$destination/heard-$stamp.dump" "$DATABASE_URL"

set -- -C "$attachments_dir" --transform 's,^\.,attachments,' .
if [ -f "$data_dir/secret_key" ]; then
  set -- "$@" -C "$data_dir" secret_key
fi
tar -czf "$destination/heard-$stamp-files.tar.gz" "$@"

echo "$destination/heard-$stamp.dump"
echo "$destination/heard-$stamp-files.tar.gz"
