# Shared by the benchmark scripts: the admin URL, a work directory removed at exit, and max_wal_size raised for the
# duration (checkpoints forced by the default 1GB make timings swing by a third), put back at exit.
admin="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
base="${admin%/*}"
work="$(mktemp -d)"
previous_wal=$(psql --no-psqlrc --tuples-only --no-align "$admin" -c "SHOW max_wal_size")
psql --no-psqlrc --quiet "$admin" -c "ALTER SYSTEM SET max_wal_size = '8GB'" -c "SELECT pg_reload_conf()" >/dev/null
trap 'rm -rf "$work"; psql --no-psqlrc --quiet "$admin" -c "ALTER SYSTEM SET max_wal_size = '"'"'$previous_wal'"'"'" -c "SELECT pg_reload_conf()" >/dev/null' EXIT
source bin/ensure-pg-tools
[ -f target/db-replication.jar ] || mvn -q -B -DskipTests package
now() { date +%s.%N; }
# before each timed run: the previous run's WAL and dirty pages written out, so that no run pays for another's
# checkpoint (with max_wal_size 8GB, one forced by the WAL of the two runs before it)
settle() { psql --no-psqlrc --quiet "$admin" -c "CHECKPOINT" >/dev/null; sync; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
