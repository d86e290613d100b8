#!/usr/bin/env bash
# Times the learning-content step on a realistic document (~94 MB: 60k challenges, 5k skills, 15k attachments,
# 9k tutorials) and on one five times bigger, served over local HTTP, with -Xmx256m, and prints the time, the
# rows per second and the peak RSS. Run by hand; it prints, asserts nothing.
#
#   bench/learning-content.sh            # scales 1 and 5
#   SCALES="1" bench/learning-content.sh
#
# BENCH_DATABASE_URL: a superuser URL of the server to use (default: the local server as postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
port=$((20000 + RANDOM % 20000))
q() { psql --no-psqlrc --quiet --tuples-only --no-align "$@"; }
q "$admin" -c "DROP DATABASE IF EXISTS bench_learning_content WITH (FORCE)" -c "CREATE DATABASE bench_learning_content"

mkdir -p "$work/www/api/databases"
(cd "$work/www" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
trap 'kill "$server"; rm -rf "$work"; psql --no-psqlrc --quiet "$admin" -c "ALTER SYSTEM SET max_wal_size = '"'"'$previous_wal'"'"'" -c "SELECT pg_reload_conf()" >/dev/null' EXIT
for scale in ${SCALES:-1 5}; do
  bench/generate-learning-content.py "$scale" "$work/www/api/databases/airtable"
  size=$(( $(stat -c %s "$work/www/api/databases/airtable") / 1024 / 1024 ))
  for round in 1 2; do   # the second round replaces tables the first one created
    DATABASE_URL="$base/bench_learning_content" LCMS_API_URL="http://127.0.0.1:$port/api" LCMS_API_KEY=bench \
      LOG_FORMAT=json WORK_DIR="$work" \
      JAVA_OPTS=-Xmx256m /usr/bin/time -f "%M" -o "$work/rss" bin/replication run --only learning-content > "$work/lc.log"
    ms=$(grep -o '"message":"run [0-9]* succeeded[^}]*"duration_ms":[0-9]*' "$work/lc.log" | grep -o '[0-9]*$')
    rows=$(grep -o '"message":"learning content table[^}]*"rows":[0-9]*' "$work/lc.log" | grep -o '[0-9]*$' | awk '{ s += $1 } END { print s }')
    challenges=$(q "$base/bench_learning_content" -c "SELECT count(*) FROM challenges")
    echo "scale $scale (${size} MB, $challenges challenges), round $round: step (download, load, swap) in $(awk -v m="$ms" 'BEGIN { printf "%.1f", m / 1000 }') s" \
      "($rows rows, $(awk -v r="$rows" -v m="$ms" 'BEGIN { printf "%d", r * 1000 / m }') rows/s), peak RSS $(( $(cat "$work/rss") / 1024 )) MB with -Xmx256m"
  done
done
q "$admin" -c "DROP DATABASE bench_learning_content WITH (FORCE)"
