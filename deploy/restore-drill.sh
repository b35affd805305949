#!/bin/sh
# The restore drill (docs/deploy.md, "Restore drill"): restore a backup into a scratch database beside the
# real one, count what it holds, compare with the live database, drop the scratch database.
# Usage: restore-drill.sh [DUMP]   (default: the newest $BACKUP_DIR/vigil-*.dump); PG* variables as for backup.sh.
set -eu
dir=${BACKUP_DIR:-/backups}
dump=${1:-$(ls -1t "$dir"/vigil-*.dump | head -1)}
scratch=${DRILL_DATABASE:-vigil_restore_drill}
live=${PGDATABASE:-vigil}
echo "drill: restoring $dump into $scratch"
dropdb --if-exists "$scratch"
createdb "$scratch"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname "$scratch" "$dump"
count() { psql --dbname "$1" -tAc "SELECT (SELECT count(*) FROM casework_case) || ' cases, ' || (SELECT count(*) FROM people_person) || ' people, ' || (SELECT count(*) FROM events_event) || ' events, ' || (SELECT count(*) FROM auth_user) || ' users'"; }
restored=$(count "$scratch")
echo "drill: the backup holds $restored"
echo "drill: the live database holds $(count "$live") (newer changes since the backup are expected)"
dropdb "$scratch"
echo "drill: OK, $scratch dropped"
