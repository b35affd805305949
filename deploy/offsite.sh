#!/bin/sh
# The encrypted off-site copy (the compose service "offsite"; docs/deploy.md, "Off-site copy"): every hour,
# copy new dumps to the rclone remote "sealed" (rclone crypt over the remote "offsite": names and contents are
# encrypted before they leave this host), and delete copies older than BACKUP_KEEP_DAYS_OFFSITE days there.
# `copy`, never `sync`: a wiped or encrypted-by-ransomware local volume must not wipe the off-site copies.
set -eu
while true; do
    rclone copy /backups sealed: --include 'vigil-*.dump' --immutable --log-level NOTICE \
        && echo "offsite: copied" || echo "offsite: copy FAILED" >&2
    rclone delete sealed: --min-age "${BACKUP_KEEP_DAYS_OFFSITE:-90}d" --log-level NOTICE || true
    [ "${OFFSITE_ONCE:-0}" = "1" ] && exit 0
    sleep 3600
done
