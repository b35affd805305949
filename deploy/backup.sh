#!/bin/sh
# Scheduled backups (the compose service "backup"; docs/deploy.md, "Backups"): every BACKUP_INTERVAL_HOURS,
# pg_dump in custom format to $BACKUP_DIR/vigil-<UTC time>.dump, written to a temporary name first so a
# half-written dump never looks like a backup; dumps older than BACKUP_KEEP_DAYS days are deleted.
# The connection comes from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE. BACKUP_ONCE=1: one backup, then exit.
set -eu
dir=${BACKUP_DIR:-/backups}
interval_hours=${BACKUP_INTERVAL_HOURS:-24}
keep_days=${BACKUP_KEEP_DAYS:-14}
mkdir -p "$dir"
while true; do
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    target="$dir/vigil-$stamp.dump"
    if pg_dump --format=custom --no-owner --no-privileges --file "$target.partial"; then
        mv "$target.partial" "$target"
        echo "backup: wrote $target ($(wc -c < "$target") bytes)"
    else
        rm -f "$target.partial"
        echo "backup: pg_dump FAILED at $stamp" >&2
    fi
    find "$dir" -maxdepth 1 -name 'vigil-*.dump' -mtime +"$keep_days" -print -delete | sed 's/^/backup: deleted old /'
    [ "${BACKUP_ONCE:-0}" = "1" ] && exit 0
    sleep $((interval_hours * 3600))
done
