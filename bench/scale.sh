#!/usr/bin/env bash
# The curve of Download.java's peak memory and CPU against the length of its list (docs/SCALE.md): --dry-run of
# 100,000, 1,000,000 and 10,000,000 URLs, 100,000 and 1,000,000 URLs end to end from a private nginx on 127.0.0.1
# (default options, every file 1 byte), and shard 7 of 100 of the 1,000,000-URL list end to end; then the targets
# of issue 23, each marked met or not. "The JVM's own" is a --dry-run of a one-URL list: the rows less it are what
# the list costs. One run of each (a 1M run takes minutes); figures from one noisy machine, read them as ratios.
#
#   bench/scale.sh            everything (about 20 minutes on 2 cores; 10M dry run about 8 of them)
#   bench/scale.sh quick      the 100,000-URL rows and the 1M dry run only
#   bench/scale.sh shard      the JVM's own and shard 7/100 of the 1M list only (for trying a change to shards)
#   PORT=18931                nginx's port on 127.0.0.1
#
# Needs nginx, GNU time (/usr/bin/time), Maven and a JDK 25. Not run in CI. Every request goes to 127.0.0.1; nginx
# is stopped and the lists and downloaded files removed at exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
port=${PORT:-18931}
mode=${1:-all}
say() { printf '%s\n' "$*" >&2; }

for need in nginx /usr/bin/time awk; do
  command -v "$need" >/dev/null || { say "scale: needs $need (apt-get install nginx-light time)"; exit 2; }
done
jdk=""
for dir in ${JAVA_HOME:-} /usr/lib/jvm/*; do
  if [ -x "$dir/bin/java" ] && grep -qs '^JAVA_VERSION="25[."]' "$dir/release"; then jdk=$dir; break; fi
done
[ -n "$jdk" ] || { say "scale: no JDK 25 found"; exit 2; }

work=$(mktemp -d /tmp/scale-bench.XXXXXX)
chmod 755 "$work"
nginx_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

say "building Download.java"
(cd "$root" && env -u JAVA_HOME mvn -q -B -ntp -DskipTests compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" \
  -Dmdep.includeScope=runtime >/dev/null)
# A copy of the classes: a build in the worktree while this runs must not change the program measured.
cp -r "$root/target/classes" "$work/classes"
read -r -a jvm_options <<< "$(sed -n 's|^//RUNTIME_OPTIONS ||p' "$root/Download.java")"
download=("$jdk/bin/java" --enable-preview "${jvm_options[@]}" -cp "$work/classes:$(cat "$work/cp.txt")" dl.Download)

mkdir -p "$work/nginx/logs" "$work/nginx/tmp"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
error_log $work/nginx/logs/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp; fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
  server { listen 127.0.0.1:$port; location / { default_type application/octet-stream; return 200 "x"; } }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
sleep 1
kill -0 "$nginx_pid" 2>/dev/null || { say "scale: nginx did not start (is port $port taken? PORT=... picks another)"; exit 2; }

# Lists: N URLs of 1,000 hosts for the dry runs (never fetched), N URLs of the local nginx for the runs.
dry_list() { awk -v n="$1" 'BEGIN{for(i=0;i<n;i++) printf "https://host%d.example/data/%d/file-%d.bin\n", i%1000, int(i/1000), i}' > "$2"; }
run_list() { awk -v n="$1" -v p="$port" 'BEGIN{for(i=0;i<n;i++) printf "http://127.0.0.1:%d/d%d/file-%d.bin\n", p, int(i/1000), i}' > "$2"; }

rows=()
# own_list: the URLs of shard 7/100 of the 1M list, as a list of their own, run end to end: what the shard's share
# costs by itself, so that the shard's row less this row is what reading the whole list costs a shard.
own_list() {
  "${download[@]}" -q --dry-run --shard 7/100 -o "$work/out" "$work/run-1m.txt" 2>/dev/null | awk '{print $1}' > "$work/own.txt"
  measure "its own URLs as a list, end to end" "$(wc -l < "$work/own.txt")" "$work/own.txt"
}
# measure NAME URLS ARGS...: one run under GNU time; a row of peak RSS (KiB), CPU (s) and wall (s).
measure() {
  local name=$1 urls=$2; shift 2
  rm -rf "$work/out"
  /usr/bin/time -f "%M %U %S %e" -o "$work/time.txt" "${download[@]}" -q -o "$work/out" "$@" > /dev/null 2> "$work/err.txt" \
    || { say "scale: $name failed:"; tail -5 "$work/err.txt" >&2; exit 1; }
  read -r rss user sys wall < "$work/time.txt"
  local cpu; cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')
  rows+=("$name|$urls|$rss|$cpu|$wall")
  say "  $name: peak RSS $((rss / 1024)) MiB, CPU ${cpu} s, wall ${wall} s"
  rm -rf "$work/out"
}

# report ROW...: the table of the rows (NAME|URLS|RSS KiB|CPU s|WALL s), then the targets of issue 23 that they reach.
report() {
  printf '%s\n' "$@" | awk -F'|' '
    { name[NR] = $1; urls[NR] = $2; rss[NR] = $3; cpu[NR] = $4; wall[NR] = $5; at[$1 "|" $2] = NR }
    function mark(ok) { return ok ? "met" : "NOT met" }
    END {
      printf "\n| run | URLs | peak RSS (MiB) | CPU (s) | CPU per URL (µs) | wall (s) |\n|---|---|---|---|---|---|\n"
      for (i = 1; i <= NR; i++)
        printf "| %s | %d | %.0f | %.1f | %.1f | %.1f |\n", name[i], urls[i], rss[i] / 1024, cpu[i], cpu[i] * 1e6 / urls[i], wall[i]
      b = at["dry run (the JVM'"'"'s own)|1"]; e1 = at["end to end|100000"]; e2 = at["end to end|1000000"]
      d = at["dry run|10000000"]; s = at["shard 7/100 end to end|1000000"]
      for (i = 1; i <= NR; i++) if (name[i] ~ /^its own URLs/) o = i
      f = at["shard 7/100 in a folder of its own|1000000"]
      print ""
      if (e2) printf "1,000,000 URLs end to end: peak RSS %.0f MiB (target <= 512): %s\n", rss[e2] / 1024, mark(rss[e2] <= 512 * 1024)
      if (e1 && e2) printf "CPU per URL at 1,000,000 / at 100,000: %.2f (target <= 1): %s\n", (cpu[e2] / 1e6) / (cpu[e1] / 1e5), mark(cpu[e2] / 1e6 <= cpu[e1] / 1e5)
      if (d) printf "--dry-run of 10,000,000 URLs: peak RSS %.0f MiB (target <= 512): %s\n", rss[d] / 1024, mark(rss[d] <= 512 * 1024)
      if (s && e2 && b) {
        printf "shard 7/100, CPU above the JVM'"'"'s own: 1/%.1f of the whole run'"'"'s (target 1/20 or less): %s\n", (cpu[e2] - cpu[b]) / (cpu[s] - cpu[b]), mark((cpu[s] - cpu[b]) * 20 <= cpu[e2] - cpu[b])
        printf "shard 7/100, peak RSS above the JVM'"'"'s own: 1/%.1f of the whole run'"'"'s (target 1/20 or less): %s\n", (rss[e2] - rss[b]) / (rss[s] - rss[b]), mark((rss[s] - rss[b]) * 20 <= rss[e2] - rss[b])
      }
      if (f && e2 && b) {
        printf "shard 7/100 in a folder of its own, CPU above the JVM'"'"'s own: 1/%.1f of the whole run'"'"'s (target 1/20 or less): %s\n", (cpu[e2] - cpu[b]) / (cpu[f] - cpu[b]), mark((cpu[f] - cpu[b]) * 20 <= cpu[e2] - cpu[b])
        printf "shard 7/100 in a folder of its own, peak RSS above the JVM'"'"'s own: 1/%.1f of the whole run'"'"'s (target 1/20 or less): %s\n", (rss[e2] - rss[b]) / (rss[f] - rss[b]), mark((rss[f] - rss[b]) * 20 <= rss[e2] - rss[b])
      }
      if (f && o) printf "shard 7/100 in a folder of its own against its own %d URLs as a list: peak RSS %.2fx, CPU %.2fx\n", urls[o], rss[f] / rss[o], cpu[f] / cpu[o]
      if (s && o) printf "shard 7/100 against its own %d URLs as a list: peak RSS %.2fx, CPU %.2fx (what reading the whole list adds)\n", urls[o], rss[s] / rss[o], cpu[s] / cpu[o]
    }'
}

say "measuring (one run each)"
dry_list 1 "$work/one.txt"
measure "dry run (the JVM's own)" 1 --dry-run "$work/one.txt"
if [ "$mode" = shard ]; then
  run_list 1000000 "$work/run-1m.txt"
  measure "shard 7/100 end to end" 1000000 --shard 7/100 "$work/run-1m.txt"
  measure "shard 7/100 in a folder of its own" 1000000 --shard 7/100 -o "$work/out/{shard}" "$work/run-1m.txt"
  own_list
  report "${rows[@]}"
  exit 0
fi
dry_list 100000 "$work/dry-100k.txt"
measure "dry run" 100000 --dry-run "$work/dry-100k.txt"
dry_list 1000000 "$work/dry-1m.txt"
measure "dry run" 1000000 --dry-run "$work/dry-1m.txt"
rm -f "$work/dry-1m.txt"
run_list 100000 "$work/run-100k.txt"
measure "end to end" 100000 "$work/run-100k.txt"
if [ "$mode" != quick ]; then
  dry_list 10000000 "$work/dry-10m.txt"
  measure "dry run" 10000000 --dry-run "$work/dry-10m.txt"
  rm -f "$work/dry-10m.txt"
  run_list 1000000 "$work/run-1m.txt"
  measure "end to end" 1000000 "$work/run-1m.txt"
  measure "shard 7/100 end to end" 1000000 --shard 7/100 "$work/run-1m.txt"
  measure "shard 7/100 in a folder of its own" 1000000 --shard 7/100 -o "$work/out/{shard}" "$work/run-1m.txt"
  own_list
fi

report "${rows[@]}"
