#!/usr/bin/env bash
# One 64 MiB file over several connections (-x) against one, from a private nginx on 127.0.0.1: once from a location
# that holds every connection to 5 MB/s (limit_rate 5m, as a mirror's per-connection limit), once from one without
# a limit (loopback: the segments can only cost). Each variant runs RUNS times, in turn with the others; the table
# gives the median wall and its ratio to -x 1 from the same location. aria2c -x 8 runs too, where installed.
# Then Ctrl-C halfway: a run with -x 8 gets SIGINT once half the file is in, a second run finishes it; the file must
# be byte-exact, and nginx's access log says how many bytes were sent twice.
#
#   bench/segments.sh                  all: limited free ctrl-c (RUNS=5 by default; PORT=18371)
#   RUNS=9 bench/segments.sh free      only some of them
#
# Not run in CI: it measures, and it needs nginx (Debian's nginx or nginx-light), Maven and a JDK 25.
# Everything lives in /tmp/segments-bench.*, removed at exit; nginx is stopped by its pid.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${RUNS:-5}
port=${PORT:-18371}
size_mib=64

work=$(mktemp -d /tmp/segments-bench.XXXXXX)
chmod 755 "$work"
# The downloads go to tmpfs where there is one: flushing 64 MiB to a shared virtual disk varied by seconds, and it
# is the same for one connection or eight.
shm=/dev/shm; [ -d "$shm" ] && [ -w "$shm" ] || shm=$work
outs=$(mktemp -d "$shm/segments-bench-out.XXXXXX")
nginx_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work" "$outs"
}
trap cleanup EXIT
say() { printf '%s\n' "$*" >&2; }

command -v nginx >/dev/null || { say "segments: needs nginx (apt-get install nginx-light)"; exit 2; }
jdk=""
for dir in ${JAVA_HOME:-} /usr/lib/jvm/*; do
  if [ -x "$dir/bin/java" ] && grep -qs '^JAVA_VERSION="25[."]' "$dir/release"; then jdk=$dir; break; fi
done
[ -n "$jdk" ] || { say "segments: no JDK 25 found"; exit 2; }
say "building Download.java"
(cd "$root" && env -u JAVA_HOME mvn -q -B -ntp -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=runtime >/dev/null)
classpath="$root/target/classes:$(cat "$work/cp.txt")"
read -r -a jvm_options <<< "$(sed -n 's|^//RUNTIME_OPTIONS ||p' "$root/Download.java")"
download=("$jdk/bin/java" --enable-preview "${jvm_options[@]}" -cp "$classpath" dl.Download)

mkdir -p "$work/www" "$work/tmp" "$work/logs"
head -c $((size_mib << 20)) /dev/urandom > "$work/www/big.bin"
want=$(sha256sum < "$work/www/big.bin" | cut -d' ' -f1)
cat > "$work/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log error;
events { worker_connections 1024; }
http {
  log_format sent '\$body_bytes_sent';
  access_log $work/logs/access.log sent;
  sendfile on;
  keepalive_requests 100000;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$port;
    location = /ping { return 204; }
    location /free/ { alias $work/www/; }
    location /limited/ { alias $work/www/; limit_rate 5m; }
  }
}
EOF
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
for _ in $(seq 50); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ping" 2>/dev/null)" = 204 ] && break
  kill -0 "$nginx_pid" 2>/dev/null || { say "segments: nginx did not start (port $port taken? PORT=...)"; cat "$work/logs/error.log" >&2; exit 2; }
  sleep 0.1
done

# One run: prints the wall in seconds; fails loudly if the file is not byte-exact.
run() {
  local where=$1 variant=$2 out="$outs/out"
  rm -rf "$out"; mkdir -p "$out"
  local url="http://127.0.0.1:$port/$where/big.bin" start end
  : > "$work/logs/access.log"
  local t=(/usr/bin/time -f "%U %S" -o "$work/time.txt")
  start=$(date +%s%N)
  case $variant in
    default) "${t[@]}" "${download[@]}" -q -o "$out" "$url" >/dev/null 2>"$work/err.txt" ;;
    aria2c-x8) "${t[@]}" aria2c -q -x 8 -s 8 -k 1M -d "$out" --file-allocation=none --allow-overwrite=true "$url" >/dev/null ;;
    x*) "${t[@]}" "${download[@]}" -q -x "${variant#x}" --per-host "${variant#x}" -o "$out" "$url" >/dev/null 2>"$work/err.txt" ;;
  esac
  end=$(date +%s%N)
  [ "$(sha256sum < "$out/big.bin" | cut -d' ' -f1)" = "$want" ] || { say "segments: $where $variant: the file differs"; exit 1; }
  awk -v ns=$((end - start)) 'BEGIN { printf "%.3f\n", ns / 1e9 }'
  sleep 0.1 # nginx logs a request when its connection's answer ends
  awk -v size=$((size_mib << 20)) '{ s += $1 } END { printf "%.3f\n", s / size }' "$work/logs/access.log" >> "$work/$where-$variant.sent"
  awk '{ printf "%.2f\n", $1 + $2 }' "$work/time.txt" >> "$work/$where-$variant.cpu"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

locations=("$@")
[ ${#locations[@]} -gt 0 ] || locations=(limited free ctrl-c)
measured=()
for where in "${locations[@]}"; do [ "$where" = ctrl-c ] || measured+=("$where"); done
variants=(x1 default x4 x8)
command -v aria2c >/dev/null && variants+=(aria2c-x8)
for where in "${measured[@]}"; do
  for variant in "${variants[@]}"; do : > "$work/$where-$variant.txt"; : > "$work/$where-$variant.sent"; : > "$work/$where-$variant.cpu"; done
  say "$where: ${variants[*]}, $runs runs each, in turn"
  for _ in $(seq "$runs"); do
    for variant in "${variants[@]}"; do run "$where" "$variant" >> "$work/$where-$variant.txt"; done
  done
done

[ ${#measured[@]} -eq 0 ] || printf '\n| location | variant | median wall (s) | runs (s) | x1 / this | median CPU (s) | bytes sent / file size (median) |\n|---|---|---|---|---|---|---|\n'
for where in "${measured[@]}"; do
  base=$(median < "$work/$where-x1.txt")
  for variant in "${variants[@]}"; do
    m=$(median < "$work/$where-$variant.txt")
    printf '| %s | %s | %s | %s | %.2fx | %s | %s |\n' "$where" "$variant" "$m" "$(paste -sd' ' "$work/$where-$variant.txt")" \
      "$(awk -v a="$base" -v b="$m" 'BEGIN { print a / b }')" "$(median < "$work/$where-$variant.cpu")" "$(median < "$work/$where-$variant.sent")"
  done
done

case " ${locations[*]} " in *" ctrl-c "*) ;; *) exit 0 ;; esac
# --- Ctrl-C halfway, then the rerun ----------------------------------------------------------------------------
say "Ctrl-C halfway through -x 8 from the limited location, then the same command again"
out="$outs/out"; rm -rf "$out"; mkdir -p "$out"
: > "$work/logs/access.log"
url="http://127.0.0.1:$port/limited/big.bin"
# With job control on, a background job keeps SIGINT (a non-interactive shell would start it with SIGINT ignored).
set -m
"${download[@]}" -q -x 8 --per-host 8 -o "$out" "$url" >/dev/null 2>"$work/interrupted.txt" &
pid=$!
set +m
# The part file is sparse: its allocated blocks say how much is in.
until [ -f "$out/big.bin.part" ] && [ $(( $(stat -c %b "$out/big.bin.part") * 512 )) -ge $((size_mib << 19)) ]; do sleep 0.02; done
kill -INT "$pid"
status=0; wait "$pid" || status=$?
kept=$(( $(stat -c %b "$out/big.bin.part") * 512 ))
[ -f "$out/big.bin.part" ] || { say "segments: the run ended before Ctrl-C: $(cat "$work/interrupted.txt")"; exit 1; }
sleep 0.2 # nginx logs each request when its connection ends
first=$(awk '{ s += $1 } END { print s }' "$work/logs/access.log")
: > "$work/logs/access.log"
"${download[@]}" --json -x 8 --per-host 8 -o "$out" "$url" > "$work/rerun.json" 2>"$work/err.txt"
sleep 0.2
[ "$(sha256sum < "$out/big.bin" | cut -d' ' -f1)" = "$want" ] && exact=yes || exact=NO
kept=$(sed -n 's/.*"type":"started".*"kept":\([0-9]*\).*/\1/p' "$work/rerun.json")
second=$(awk '{ s += $1 } END { print s }' "$work/logs/access.log")
mib() { awk -v b="$1" 'BEGIN { printf "%.2f MiB", b / 1048576 }'; }
printf '\nCtrl-C halfway through -x 8 (exit status %s), then a rerun: byte-exact: %s. nginx sent %s before Ctrl-C, of which the\n' "$status" "$exact" "$(mib "$first")"
printf 'rerun kept %s (the rest was in flight: %s); the rerun was sent %s for the %s missing (%s more).\n' \
  "$(mib "$kept")" "$(mib $((first - kept)))" "$(mib "$second")" "$(mib $(((size_mib << 20) - kept)))" "$(mib $((second - (size_mib << 20) + kept)))"
printf 'Sent twice in all: %s of a %s MiB file.\n' "$(mib $((first + second - (size_mib << 20))))" "$size_mib"
