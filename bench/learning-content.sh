#!/usr/bin/env bash
# Times the learning-content step, as the step (the journal's duration) and as the process (JVM start included),
# with -Xmx256m and its peak RSS, on documents served over local HTTP: the bench's shape and another one (SHAPE=varied
# of generate-learning-content.py: longer texts, nested _i18n objects, ignored fields, other scripts), at scale 1
# (~94 MB) and 5. With ORIGINAL_DIR, the original tool's learning-content step runs in the same round on the same
# document, and the ratio (ours / original, process against process) is printed. Run by hand; it asserts nothing.
#
#   bench/learning-content.sh                                  # shapes bench and varied, scales 1 and 5, 3 rounds
#   SHAPES=bench SCALES=1 ROUNDS=5 bench/learning-content.sh
#   ORIGINAL_DIR=/path/to/pix-db-replication bench/learning-content.sh
#   BASELINE_JAR=/tmp/before.jar bench/learning-content.sh   # another build, run by bin/replication without the
#                                                            # class data sharing archive
#
# ORIGINAL_DIR: a checkout of the original tool (github.com/1024pix/pix-db-replication) where `npm ci` has been run;
# its step is called as its job does (src/steps/learning-content/index.js, run()), with node.
# BENCH_DATABASE_URL: a superuser URL of the server to use (default: the local server as postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
port=$((20000 + RANDOM % 20000))
q() { psql --no-psqlrc --quiet --tuples-only --no-align "$@"; }
for db in bench_lc_ours bench_lc_original; do
  q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
done

mkdir -p "$work/www/api/databases"
(cd "$work/www" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
trap 'kill "$server"; rm -rf "$work"; psql --no-psqlrc --quiet "$admin" -c "ALTER SYSTEM SET max_wal_size = '"'"'$previous_wal'"'"'" -c "SELECT pg_reload_conf()" >/dev/null' EXIT

ours() { # prints: process seconds, step seconds, peak RSS MB; $1: a jar to run instead of bin/replication's
  local start end
  start=$(now)
  DATABASE_URL="$base/bench_lc_ours" LCMS_API_URL="http://127.0.0.1:$port/api" LCMS_API_KEY=bench \
    LOG_FORMAT=json WORK_DIR="$work" REPLICATION_JAR="${1:-}" \
    JAVA_OPTS=-Xmx256m /usr/bin/time -f "%M" -o "$work/rss" bin/replication run --only learning-content > "$work/lc.log"
  end=$(now)
  local ms
  ms=$(grep -o '"message":"learning content replaced[^}]*"duration_ms":[0-9]*' "$work/lc.log" | grep -o '[0-9]*$')
  echo "$(elapsed "$start" "$end") $(awk -v m="$ms" 'BEGIN { printf "%.1f", m / 1000 }') $(( $(cat "$work/rss") / 1024 ))"
}

original() { # prints: process seconds, peak RSS MB
  local start end
  start=$(now)
  (cd "$ORIGINAL_DIR" && DATABASE_URL="$base/bench_lc_original" /usr/bin/time -f "%M" -o "$work/rss" node --input-type=module -e "
    const step = await import('$ORIGINAL_DIR/src/steps/learning-content/index.js');
    await step.run({ DATABASE_URL: process.env.DATABASE_URL, LCMS_API_URL: 'http://127.0.0.1:$port/api', LCMS_API_KEY: 'bench' });" \
    > "$work/original.log" 2>&1) || { echo "  the original tool failed: $(grep -m1 -iE 'error|cannot' "$work/original.log" | cut -c1-160)" >&2; echo "failed failed"; return; }
  end=$(now)
  echo "$(elapsed "$start" "$end") $(( $(cat "$work/rss") / 1024 ))"
}

for shape in ${SHAPES:-bench varied}; do
  for scale in ${SCALES:-1 5}; do
    SHAPE=$shape bench/generate-learning-content.py "$scale" "$work/www/api/databases/airtable"
    size=$(( $(stat -c %s "$work/www/api/databases/airtable") / 1024 / 1024 ))
    processes=(); steps=(); originals=(); ratios=(); baselines=(); bsteps=()
    for round in $(seq "${ROUNDS:-3}"); do   # round 2 on replaces the tables round 1 created
      read -r process step rss < <(ours)
      line="shape $shape, scale $scale (${size} MB), round $round: ours ${process} s (step ${step} s), peak RSS ${rss} MB"
      processes+=("$process"); steps+=("$step")
      if [ -n "${BASELINE_JAR:-}" ]; then
        read -r bprocess bstep brss < <(ours "$BASELINE_JAR")
        baselines+=("$bprocess"); bsteps+=("$bstep")
        line="$line; baseline ${bprocess} s (step ${bstep} s), peak RSS ${brss} MB"
      fi
      if [ -n "${ORIGINAL_DIR:-}" ]; then
        read -r oprocess orss < <(original)
        if [ "$oprocess" = failed ]; then
          line="$line; original failed"
        else
          ratio=$(awk -v a="$process" -v b="$oprocess" 'BEGIN { printf "%.2f", a / b }')
          originals+=("$oprocess"); ratios+=("$ratio")
          line="$line; original ${oprocess} s, peak RSS ${orss} MB; ratio ${ratio}"
        fi
      fi
      echo "$line"
    done
    summary="shape $shape, scale $scale: median ours $(median "${processes[@]}") s (step $(median "${steps[@]}") s)"
    [ -n "${BASELINE_JAR:-}" ] && summary="$summary, baseline $(median "${baselines[@]}") s (step $(median "${bsteps[@]}") s)"
    [ -n "${ORIGINAL_DIR:-}" ] && [ "${#originals[@]}" -gt 0 ] && summary="$summary, original $(median "${originals[@]}") s, ratio $(median "${ratios[@]}")"
    echo "$summary"
  done
done
echo "challenges on both sides: ours $(q "$base/bench_lc_ours" -c "SELECT count(*) FROM challenges")$( [ -n "${ORIGINAL_DIR:-}" ] && echo ", original $(q "$base/bench_lc_original" -c "SELECT count(*) FROM challenges")")"
for db in bench_lc_ours bench_lc_original; do q "$admin" -c "DROP DATABASE $db WITH (FORCE)"; done
