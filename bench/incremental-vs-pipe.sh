#!/usr/bin/env bash
# Times the incremental step against a bare "psql \copy … to stdout | psql \copy … from stdin" pipe appending the
# same rows to the same target, and prints rows/s of both and the ratio. Run by hand; it prints, asserts nothing.
#
#   bench/incremental-vs-pipe.sh        # appends 1M knowledge-elements, 500k answers, 50k snapshots to a 3 GB copy
#   SCALE=10 bench/incremental-vs-pipe.sh
#   MEMORY_TEST=1 bench/incremental-vs-pipe.sh   # also: the whole of knowledge-elements and answers (13.5M rows
#                                                # at scale 100) with -Xmx256m, peak RSS printed
#
# The source is bench_source_<scale> (made by bench/full-vs-pg-restore.sh or generated here). The targets are
# copies of it (CREATE DATABASE … TEMPLATE) without the newest rows and, as the full step leaves them, without the
# foreign keys of the kept tables.
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${SCALE:-100}"
jobs="${JOBS:-2}"
source_db="bench_source_${scale//./_}"
source bench/lib.sh

q() { psql --no-psqlrc --quiet --tuples-only --no-align "$@"; }
rate() { awk -v r="$1" -v s="$2" 'BEGIN { printf "%d", r / s }'; }

if [ "$(q "$admin" -c "SELECT count(*) FROM pg_database WHERE datname = '$source_db'")" = "0" ]; then
  echo "generating $source_db (scale $scale)…"
  q "$admin" -c "CREATE DATABASE $source_db"
  bin/load-sample "$base/$source_db" "$scale"
fi
ke_max=$(q "$base/$source_db" -c 'SELECT max(id) FROM "knowledge-elements"')
an_max=$(q "$base/$source_db" -c 'SELECT max(id) FROM answers')
sn_max=$(q "$base/$source_db" -c 'SELECT max(id) FROM "knowledge-element-snapshots"')
ke_from=$((ke_max - ke_max / 9)); an_from=$((an_max - an_max / 9)); sn_from=$((sn_max - sn_max / 10))
rows=$(( (ke_max - ke_from) + (an_max - an_from) + (sn_max - sn_from) ))

prepare_target() { # $1: database, $2 $3 $4: keys kept below for knowledge-elements, answers, snapshots
  q "$admin" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1 TEMPLATE $source_db STRATEGY FILE_COPY"
  q "$base/$1" <<SQL
DO \$\$ DECLARE c record; BEGIN
  FOR c IN SELECT conrelid::regclass AS t, conname FROM pg_constraint WHERE contype = 'f'
           AND (conrelid::regclass::text IN ('"knowledge-elements"', 'answers', '"knowledge-element-snapshots"')
             OR confrelid::regclass::text IN ('"knowledge-elements"', 'answers', '"knowledge-element-snapshots"'))
  LOOP EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.t, c.conname); END LOOP; END \$\$;
-- the analytics indexes a production copy carries on these tables (the enrichment ones)
CREATE INDEX IF NOT EXISTS "knowledge-elements_createdAt_idx" ON "knowledge-elements" ((CAST("createdAt" AT TIME ZONE 'UTC+1' AS date)) DESC);
CREATE INDEX IF NOT EXISTS "answers_challengeId_idx" ON answers ("challengeId");
CREATE INDEX IF NOT EXISTS "knowledge-element-snapshots_snappedAt_idx" ON "knowledge-element-snapshots" ((CAST("snappedAt" AT TIME ZONE 'UTC+1' AS date)) DESC);
DELETE FROM "knowledge-elements" WHERE id > $2;
DELETE FROM answers WHERE id > $3;
DELETE FROM "knowledge-element-snapshots" WHERE id > $4;
VACUUM ANALYZE "knowledge-elements", answers, "knowledge-element-snapshots";
SQL
  # the tool's journal schema, as every night after the first finds it: a one-off run with nothing to do (the
  # learning-content step without LCMS_API_URL) creates it once; otherwise each round's process pays the first
  # migration (~0.45 s here), which a target pays once in its life
  DATABASE_URL="$base/$1" WORK_DIR="$work" LOG_FORMAT=json bin/replication run --only learning-content > "$work/journal.log"
  q "$base/$1" -c "CHECKPOINT"
}

rounds="${ROUNDS:-3}"
field() { grep -o "$1" "$2" | grep -o '[0-9]*$' | awk '{ s += $1 } END { print s + 0 }'; }
# the copy's 3 GB are flushed to disk before the clock starts: otherwise their write-back lands in the timing
copy_of_base() { q "$admin" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1 TEMPLATE bench_inc_base STRATEGY FILE_COPY" -c "CHECKPOINT"; sync; }
modes='{"answers": "incremental", "knowledge-elements": "incremental", "knowledge-element-snapshots": "incremental"}'

echo "source: $source_db; increment: $((ke_max - ke_from)) knowledge-elements, $((an_max - an_from)) answers, $((sn_max - sn_from)) snapshots ($rows rows); jobs: $jobs; rounds: $rounds"
echo "preparing the target (a copy of the source without the newest rows)…"
prepare_target bench_inc_base "$ke_from" "$an_from" "$sn_from"

pipes=(); steps=(); checks=(); plannings=(); ratios=(); processes=(); pratios=()
for round in $(seq 1 "$rounds"); do
  copy_of_base bench_inc_pipe
  start=$(now)
  for spec in "answers:$an_from" "\"knowledge-elements\":$ke_from" "\"knowledge-element-snapshots\":$sn_from"; do
    table="${spec%:*}"; from="${spec##*:}"
    psql --no-psqlrc --quiet "$base/$source_db" -c "\\copy (SELECT * FROM $table WHERE id > $from) TO STDOUT" \
      | psql --no-psqlrc --quiet "$base/bench_inc_pipe" -c "\\copy $table FROM STDIN"
  done
  pipe=$(elapsed "$start" "$(now)")
  pipes+=("$pipe")

  copy_of_base bench_inc_step
  pstart=$(now)
  SOURCE_DATABASE_URL="$base/$source_db" TARGET_DATABASE_URL="$base/bench_inc_step" DATABASE_URL="$base/bench_inc_step" BACKUP_MODE="$modes" \
    INCREMENTAL_JOBS="$jobs" LOG_FORMAT=json WORK_DIR="$work" \
    JAVA_OPTS=-Xmx256m /usr/bin/time -f "%M" -o "$work/rss" bin/replication run --only incremental > "$work/step.log"
  process=$(elapsed "$pstart" "$(now)")
  processes+=("$process"); pratios+=("$(awk -v p="$pipe" -v s="$process" 'BEGIN { printf "%.2f", p / s }')")
  step_ms=$(field '"message":"run [0-9]* succeeded[^}]*"duration_ms":[0-9]*' "$work/step.log")
  planning_ms=$(field '"planning_ms":[0-9]*' "$work/step.log")
  checks_ms=$(field '"checks_ms":[0-9]*' "$work/step.log")
  finishing_ms=$(field '"finishing_ms":[0-9]*' "$work/step.log")
  copied=$(field '"total_records_replicated":[0-9]*' "$work/step.log")
  step=$(awk -v ms="$step_ms" 'BEGIN { printf "%.2f", ms / 1000 }')
  # checkpoints and checks: their own time inside the chunks and the planning (schema comparison, checkpoint reads),
  # spread over the parallel jobs, plus everything after the last chunk (final sums, watermark, report)
  share=$(awk -v f="$finishing_ms" -v c="$checks_ms" -v j="$jobs" -v s="$step_ms" 'BEGIN { printf "%.1f", (f + c / j) * 100 / s }')
  planning=$(awk -v p="$planning_ms" -v s="$step_ms" 'BEGIN { printf "%.1f", p * 100 / s }')
  steps+=("$step"); checks+=("$share"); plannings+=("$planning"); ratios+=("$(awk -v p="$pipe" -v s="$step" 'BEGIN { printf "%.2f", p / s }')")
  echo "round $round: pipe ${pipe}s ($(rate "$rows" "$pipe") rows/s); step ${step}s ($(rate "$copied" "$step") rows/s, $copied rows;" \
    "planning ${planning_ms} ms before the first chunk = ${planning}%; checkpoints and checks ${checks_ms} ms / ${jobs} jobs" \
    "+ ${finishing_ms} ms after the last chunk = ${share}% of the step; peak RSS $(( $(cat "$work/rss") / 1024 )) MB);" \
    "process ${process}s, JVM start and stop included ($(rate "$copied" "$process") rows/s)"
  for table in answers '"knowledge-elements"' '"knowledge-element-snapshots"'; do
    a=$(q "$base/bench_inc_pipe" -c "SELECT count(*) FROM $table"); b=$(q "$base/bench_inc_step" -c "SELECT count(*) FROM $table")
    [ "$a" = "$b" ] || echo "  MISMATCH $table: pipe $a, step $b"
  done
done
pipe=$(median "${pipes[@]}"); step=$(median "${steps[@]}")
echo
echo "median of $rounds round(s): pipe ${pipe}s = $(rate "$rows" "$pipe") rows/s; incremental step ${step}s = $(rate "$rows" "$step") rows/s;" \
  "ratio $(awk -v p="$pipe" -v s="$step" 'BEGIN { printf "%.2f", p / s }')x the pipe's throughput (per round: ${ratios[*]});" \
  "checkpoints and checks $(median "${checks[@]}")% of the step (per round: ${checks[*]}), planning $(median "${plannings[@]}")%"
process=$(median "${processes[@]}")
echo "as a process (bin/replication, JVM start and stop included$([ -f target/db-replication.jsa ] && [ target/db-replication.jsa -nt target/db-replication.jar ] && echo ", class data sharing archive")):" \
  "${process}s = $(rate "$rows" "$process") rows/s; ratio $(awk -v p="$pipe" -v s="$process" 'BEGIN { printf "%.2f", p / s }')x the pipe's throughput (per round: ${pratios[*]})"

if [ "${MEMORY_TEST:-0}" = "1" ]; then
  prepare_target bench_inc_step 1 1 "$sn_max"
  start=$(now)
  SOURCE_DATABASE_URL="$base/$source_db" TARGET_DATABASE_URL="$base/bench_inc_step" DATABASE_URL="$base/bench_inc_step" BACKUP_MODE="$modes" \
    INCREMENTAL_JOBS="$jobs" LOG_FORMAT=json WORK_DIR="$work" \
    JAVA_OPTS=-Xmx256m /usr/bin/time -f "%M" -o "$work/rss" bin/replication run --only incremental > "$work/big.log"
  big=$(elapsed "$start" "$(now)")
  copied=$(field '"total_records_replicated":[0-9]*' "$work/big.log")
  echo "memory test: $copied rows with -Xmx256m in ${big}s, $(rate "$copied" "$big") rows/s, peak RSS $(( $(cat "$work/rss") / 1024 )) MB"
fi
q "$admin" -c "DROP DATABASE bench_inc_pipe WITH (FORCE)" -c "DROP DATABASE bench_inc_step WITH (FORCE)" \
  -c "DROP DATABASE bench_inc_base WITH (FORCE)"
