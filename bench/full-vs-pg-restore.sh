#!/usr/bin/env bash
# Times the full step against the plain pair "pg_dump -Fc + pg_restore -j N" and against "pgcopydb clone" (N table
# jobs, N index jobs; Debian's package pgcopydb, skipped when it is not installed) on the same Pix-shaped source,
# same server, same number of jobs, and prints the times and the ratios. Run by hand; it prints figures, asserts
# nothing. pgcopydb builds only the source's indexes: it is also timed followed by the built-in enrichment's index
# builds (psql, N at a time), the same copy as the full step's, and the ratio to that is printed too.
#
#   bench/full-vs-pg-restore.sh                 # scale 100 (9M knowledge-elements, 4.5M answers, ~3 GB), 2 jobs, 3 rounds
#   SCALE=10 ROUNDS=1 bench/full-vs-pg-restore.sh
#   FK_MODES=not-valid REFRESH_MODES="swap in-place" BASELINE_JAR=/tmp/before.jar bench/full-vs-pg-restore.sh
#
# Each full step runs twice on the same target: night 1 on an empty database, night 2 replacing that complete copy
# (what happens every night; with FULL_REFRESH=swap it is the night whose switch moves a previous copy out).
# REFRESH_MODES: the FULL_REFRESH values to time (default "swap in-place"). BASELINE_JAR: another build of the tool
# (e.g. the commit before a change), timed the same way, to report a change's figures before and after.
# CURRENT_JAR: the build to time (default target/db-replication.jar, with its class data sharing archive when
# bin/cds-archive has made one). Every build runs through bin/replication, with its JVM options.
#
# BENCH_DATABASE_URL: a superuser URL of the server to use (default: the local server as postgres).
# The source database bench_source_<scale> is generated once (bin/load-sample) and reused by later runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${SCALE:-100}"
jobs="${JOBS:-2}"
rounds="${ROUNDS:-3}"
modes="${FK_MODES:-not-valid true}"
variants=""
for refresh in ${REFRESH_MODES:-swap in-place}; do
  [ -n "${BASELINE_JAR:-}" ] && variants="$variants baseline:$refresh"
  variants="$variants current:$refresh"
done
source_db="bench_source_${scale//./_}"
source bench/lib.sh

psql_admin() { psql --no-psqlrc --quiet --tuples-only --no-align "$admin" "$@"; }
recreate() { psql_admin -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" 2>/dev/null; }

if [ "$(psql_admin -c "SELECT count(*) FROM pg_database WHERE datname = '$source_db'")" = "0" ]; then
  echo "generating $source_db (scale $scale)…"
  recreate "$source_db"
  bin/load-sample "$base/$source_db" "$scale"
fi
# Before each timed run, after settle: every table of the source read once, so that each run finds the source in
# the OS cache. Some machines page out what was not read for a while (here DAMON's proactive reclaim: 60 s): without
# this, a run that follows one which did not read the source (pg_restore, or a night 2 after a long night 1) would
# read it from disk, and the order of the runs would decide part of their times. The tool's own files (the JDK,
# its jar and class data sharing archive) are read too, as a background process (schedule.yaml) has them
# in memory, and so are the PostgreSQL tools' (a one-off JVM started from a cold disk took 4–11 s more here).
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
warm_source() {
  settle
  find "$java_home" /usr/lib/postgresql -type f -exec cat {} + > /dev/null 2>&1 || true
  cat target/db-replication.jar target/db-replication.jsa ${CURRENT_JAR:-} ${BASELINE_JAR:-} > /dev/null 2>&1 || true
  psql --no-psqlrc --quiet "$base/$source_db" -c "DO \$\$ DECLARE t regclass; BEGIN
    FOR t IN SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') LOOP
      EXECUTE format('SELECT count(*) FROM ONLY %s', t);
    END LOOP; END \$\$"
}
settle
echo "source: $source_db, $(psql_admin -c "SELECT pg_size_pretty(pg_database_size('$source_db'))"), \
$(psql --no-psqlrc --tuples-only --no-align "$base/$source_db" -c "SELECT count(*) FROM \"knowledge-elements\"") knowledge-elements, jobs: $jobs, rounds: $rounds"

declare -A times switches
for round in $(seq 1 "$rounds"); do
  recreate bench_plain
  warm_source
  start=$(now)
  pg_dump --format=custom --no-owner --no-privileges --file="$work/source.dump" "$base/$source_db"
  pg_restore --jobs="$jobs" --no-owner --no-privileges --dbname="$base/bench_plain" "$work/source.dump"
  t=$(elapsed "$start" "$(now)")
  times[plain]+="$t "
  echo "round $round: pg_dump -Fc + pg_restore -j$jobs: ${t}s"
  rm -f "$work/source.dump"
  psql_admin -c "DROP DATABASE bench_plain WITH (FORCE)"

  if command -v pgcopydb > /dev/null; then
    recreate bench_pgcopydb
    rm -rf "$work/pgcopydb"
    warm_source
    start=$(now)
    pgcopydb clone --source "$base/$source_db" --target "$base/bench_pgcopydb" --table-jobs "$jobs" --index-jobs "$jobs" \
      --no-owner --no-acl --dir "$work/pgcopydb" > "$work/pgcopydb.log" 2>&1 \
      || { echo "pgcopydb clone failed:"; tail -5 "$work/pgcopydb.log"; exit 1; }
    t=$(elapsed "$start" "$(now)")
    times[pgcopydb]+="$t "
    echo "round $round: pgcopydb clone ($jobs table jobs, $jobs index jobs): ${t}s"
    # the same copy as the full step's: pgcopydb's plus the built-in enrichment's index builds, $jobs at a time,
    # with the settings the full step gives its index builds (RESTORE_MAINTENANCE_WORK_MEM's default, no workers)
    ls src/main/resources/sql/enrichment/*.sql | xargs -P "$jobs" -I{} env \
      PGOPTIONS="-c maintenance_work_mem=512MB -c max_parallel_maintenance_workers=0" \
      psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --file={} "$base/bench_pgcopydb"
    t=$(elapsed "$start" "$(now)")
    times[pgcopydb+]+="$t "
    echo "round $round: pgcopydb clone, then the enrichment's $(ls src/main/resources/sql/enrichment/*.sql | wc -l) indexes ($jobs at a time): ${t}s"
    rm -rf "$work/pgcopydb"
    psql_admin -c "DROP DATABASE bench_pgcopydb WITH (FORCE)"
  fi

  for mode in $modes; do
    for variant in $variants; do
      recreate bench_full
      for night in 1 2; do
        jar="${CURRENT_JAR:-}"; refresh="${variant#*:}"
        [ "${variant%%:*}" = baseline ] && jar="$BASELINE_JAR"
        warm_source
        start=$(now)
        # run as bin/replication runs it (its JVM options; another build without the class data sharing archive)
        SOURCE_DATABASE_URL="$base/$source_db" DATABASE_URL="$base/bench_full" PG_RESTORE_JOBS="$jobs" \
          RESTORE_FK_CONSTRAINTS="$mode" FULL_REFRESH="$refresh" LOG_FORMAT=json WORK_DIR="$work" \
          REPLICATION_JAR="$jar" bin/replication run --only full > "$work/full.log"
        t=$(elapsed "$start" "$(now)")
        times[$mode/$variant/$night]+="$t "
        restore_ms=$(grep -o '"message":"Restore done[^}]*"duration_ms":[0-9]*' "$work/full.log" | grep -o '[0-9]*$' || echo 0)
        switch_ms=$(grep -o '"switch_ms":[0-9]*' "$work/full.log" | grep -o '[0-9]*$' || true)
        [ -n "$switch_ms" ] && switches[$mode/$variant/$night]+="$switch_ms "
        echo "round $round: full step ${variant%%:*} (FK $mode, FULL_REFRESH=$refresh), night $night: ${t}s" \
          "(until Restore done: $((restore_ms / 1000))s${switch_ms:+, switch: ${switch_ms} ms})"
      done
      psql_admin -c "DROP DATABASE bench_full WITH (FORCE)"
    done
  done
done

plain=$(median ${times[plain]})
echo
echo "median of $rounds round(s), scale $scale, $jobs jobs:"
echo "  pg_dump -Fc + pg_restore -j$jobs   ${plain}s"
copydb=""
if [ -n "${times[pgcopydb]:-}" ]; then
  copydb=$(median ${times[pgcopydb]})
  echo "  pgcopydb clone                 ${copydb}s"
  copydb_plus=$(median ${times[pgcopydb+]})
  echo "  pgcopydb clone + enrichment    ${copydb_plus}s   (the same indexes as the full step's copy)"
fi
for mode in $modes; do
  for variant in $variants; do
    for night in 1 2; do
      key="$mode/$variant/$night"; full=$(median ${times[$key]})
      printf '  full step %-8s FK %-9s FULL_REFRESH=%-8s night %s   %6ss   ratio %s to the pair%s%s\n' "${variant%%:*}" "$mode" "${variant#*:}" "$night" "$full" \
        "$(awk -v f="$full" -v p="$plain" 'BEGIN { printf "%.2f", f / p }')" \
        "${copydb:+, $(awk -v f="$full" -v p="$copydb" -v q="$copydb_plus" 'BEGIN { printf "%.2f to pgcopydb, %.2f to pgcopydb + enrichment", f / p, f / q }')}" \
        "${switches[$key]:+   switch median $(median ${switches[$key]}) ms (${switches[$key]% })}"
    done
  done
done
