#!/usr/bin/env bash
# Benchmarks Download.java (virtual and platform threads) against curl -Z, aria2c -i and wget2 -i, all fetching
# the same lists from a private nginx on 127.0.0.1. Prints one table per scenario: median wall of 3 runs, CPU,
# peak RSS, files verified, and each tool's wall as a multiple of Download.java's (virtual).
#
#   bench/run.sh                 all three scenarios
#   bench/run.sh latency small   only some: latency | bandwidth | small | many | shards
#   RUNS=5 bench/run.sh          more runs per tool (the median is reported)
#
# Needs nginx with its echo module (installed from Debian's packages if missing and we are root), Maven and a
# JDK 25 (as for the build). Peers are used where installed: apt-get install curl aria2 wget2.
# Nothing leaves 127.0.0.1; nginx is stopped and the files removed at exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${RUNS:-3}
port=${PORT:-18080}
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(latency bandwidth small many shards)

work=$(mktemp -d /tmp/download-bench.XXXXXX)
chmod 755 "$work"   # nginx's workers run as nobody and must read the files
nginx_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf '%s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------------------
echo_module=/usr/lib/nginx/modules/ngx_http_echo_module.so
if ! command -v nginx >/dev/null || [ ! -f "$echo_module" ]; then
  if [ "$(id -u)" = 0 ]; then
    say "installing nginx and its echo module from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light libnginx-mod-http-echo >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light libnginx-mod-http-echo >/dev/null; }
    # The package starts a system nginx on port 80; this benchmark runs its own.
    (service nginx stop || true) >/dev/null 2>&1
  else
    say "bench: needs nginx and libnginx-mod-http-echo (apt-get install nginx-light libnginx-mod-http-echo)"; exit 2
  fi
fi

jdk=""
for dir in ${JAVA_HOME:-} /usr/lib/jvm/*; do
  if [ -x "$dir/bin/java" ] && grep -qs '^JAVA_VERSION="25[."]' "$dir/release"; then jdk=$dir; break; fi
done
[ -n "$jdk" ] || { say "bench: no JDK 25 found"; exit 2; }
say "building Download.java"
(cd "$root" && mvn -q -B -ntp -DskipTests package dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=runtime >/dev/null)
classpath="$root/target/classes:$(cat "$work/cp.txt")"
# The JVM options jbang would use: the script's //RUNTIME_OPTIONS line.
read -r -a jvm_options <<< "$(sed -n 's|^//RUNTIME_OPTIONS ||p' "$root/Download.java")"

# --- server --------------------------------------------------------------------------------------------------
mkdir -p "$work/www/files" "$work/tmp" "$work/logs"
cat > "$work/nginx.conf" <<EOF
load_module $echo_module;
daemon off;
worker_processes 2;
pid $work/nginx.pid;
error_log $work/logs/error.log error;
worker_rlimit_nofile 20000;
events { worker_connections 10000; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$port backlog=4096;
    root $work/www;
    location = /ping { return 204; }
    location /files/ { }
    location /slow/ { default_type text/plain; echo_sleep 1; echo "tiny"; }
    location /quick/ { default_type text/plain; echo_sleep 0.05; echo "tiny"; }
  }
}
EOF
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 50); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/ping" 2>/dev/null)" = 204 ] && break
  kill -0 "$nginx_pid" 2>/dev/null || { say "bench: nginx did not start (is port $port taken? PORT=... picks another):"; cat "$work/logs/error.log" >&2; exit 2; }
  sleep 0.1
done

# --- one run of one tool: prints "wall cpu rss_kb" ---------------------------------------------------------------
# $1 tool, $2 list, $3 output dir (new), $4 concurrency
run_tool() {
  local tool=$1 list=$2 out=$3 n=$4
  mkdir -p "$out"
  sync   # what the previous tool left in the page cache is not this tool's to write
  local t=(/usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" timeout 600)
  case $tool in
    virtual|platform)
      "${t[@]}" "$jdk/bin/java" --enable-preview "${jvm_options[@]}" -cp "$classpath" dl.Download -q --threads "$tool" \
        --max-connections "$n" --per-host "$n" -o "$out" "$list" >/dev/null 2>"$work/err.txt" || true ;;
    virtual-tmpfs)
      # The same run with its output on tmpfs: what the disk (and durability on it) costs.
      local shm; shm=$(mktemp -d /dev/shm/download-bench.XXXXXX)
      "${t[@]}" "$jdk/bin/java" --enable-preview "${jvm_options[@]}" -cp "$classpath" dl.Download -q \
        --max-connections "$n" --per-host "$n" -o "$shm" "$list" >/dev/null 2>"$work/err.txt" || true
      mv "$shm"/* "$out"/ 2>/dev/null || true; rm -rf "$shm" ;;
    virtual-defaults)
      "${t[@]}" "$jdk/bin/java" --enable-preview "${jvm_options[@]}" -cp "$classpath" dl.Download -q \
        -o "$out" "$list" >/dev/null 2>"$work/err.txt" || true ;;
    curl)
      sed 's/^\(.*\)$/url = "\1"\nremote-name/' "$list" > "$work/curl.cfg"
      (cd "$out" && "${t[@]}" curl -s -Z --parallel-max "$(( n > 300 ? 300 : n ))" -K "$work/curl.cfg" 2>"$work/err.txt") || true ;;
    aria2c)
      "${t[@]}" aria2c -q -i "$list" -d "$out" -j "$n" --file-allocation=none --auto-file-renaming=false \
        --allow-overwrite=true --console-log-level=error --summary-interval=0 2>"$work/err.txt" || true ;;
    wget2)
      "${t[@]}" wget2 -q -i "$list" -P "$out" --max-threads "$n" --no-robots 2>"$work/err.txt" || true ;;
  esac
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/time.txt"
}

tools() {
  if [ "$scenario" = many ]; then echo virtual-defaults; return; fi
  echo virtual platform
  [ "$scenario" != small ] || [ ! -d /dev/shm ] || echo virtual-tmpfs
  for peer in curl aria2c wget2; do command -v "$peer" >/dev/null && echo "$peer"; done
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# $1 scenario title, $2 list, $3 concurrency, $4 verify command (gets the output dir), $5 expected files
bench() {
  local title=$1 list=$2 n=$3 verify=$4 expected=$5
  say "scenario: $title ($runs runs per tool)"
  local tool rep line
  : > "$work/results.txt"
  # Every run writes into a new folder, and the folders are removed only at the end. Removing thousands of
  # files between runs made the next run up to 2x slower: ext4 without a journal (as here) skips inodes
  # freed in the last minutes when it allocates new ones (recently_deleted() in perf), scanning past each.
  local order
  for rep in $(seq "$runs"); do
    # Every other run goes in reverse order, so that no tool always follows the same one: a run right after
    # wget2's (1 GiB written without a sync, then deleted) paid up to 0.7 s more system time here, and with a
    # fixed order that was always Download.java's virtual run.
    if [ $((rep % 2)) = 1 ]; then order=$(tools); else order=$(tools | tac); fi
    for tool in $order; do
      out="$work/out/$scenario-$tool-$rep"
      line=$(run_tool "$tool" "$list" "$out" "$n")
      ok=$($verify "$out")
      echo "$tool $line $ok" >> "$work/results.txt"
      say "  run $rep $tool: wall ${line%% *} s, $ok/$expected files ok"
      [ "$scenario" != bandwidth ] || rm -rf "$out"   # 1 GiB a run, and only 32 inodes
    done
  done
  # Download.java virtual's median wall: the reference every ratio of this scenario is taken against.
  ref=$(awk '$1=="virtual" || $1=="virtual-defaults" {print $2}' "$work/results.txt" | median)
  echo
  echo "### $title"
  echo
  echo "| tool | wall, median of $runs (s) | CPU (s) | peak RSS (MiB) | files ok | wall / Download.java virtual |"
  echo "|---|---|---|---|---|---|"
  for tool in $(tools); do
    local wall row
    wall=$(awk -v t="$tool" '$1==t {print $2}' "$work/results.txt" | median)
    row=$(awk -v t="$tool" -v w="$wall" '$1==t && $2==w {print; exit}' "$work/results.txt")
    [ -n "$row" ] || row="$tool - - 0 0"
    set -- $row
    local name=$tool
    case $tool in
      virtual|platform) name="Download.java --threads $tool";;
      virtual-tmpfs) name="Download.java --threads virtual, output on tmpfs";;
      virtual-defaults) name="Download.java, default options";;
    esac
    awk -v n="$name" -v w="$2" -v c="$3" -v r="$4" -v ok="$5" -v e="$expected" -v ref="$ref" \
      'BEGIN {printf "| %s | %s | %s | %.0f | %s/%s | %.2fx |\n", n, w, c, r / 1024, ok, e, w / ref}'
  done
}

# --- scenarios -----------------------------------------------------------------------------------------------
count_tiny() { (grep -lx tiny -r "$1" 2>/dev/null || true) | wc -l; }
# Files in $1 whose SHA-1 matches the server's file of the same name starting with $2 (one process for all).
count_same() {
  [ -f "$work/$2.sha1" ] || (cd "$work/www/files" && sha1sum "$2"*) > "$work/$2.sha1"
  (cd "$1" && sha1sum -c "$work/$2.sha1" 2>/dev/null | grep -c ': OK$') || true
}

for scenario in "${scenarios[@]}"; do
  case $scenario in
    latency)
      seq 1 5000 | sed "s|^|$base/slow/|" > "$work/latency.txt"
      bench "latency-bound: 5,000 URLs, each answered after 1 s with a 5-byte body" "$work/latency.txt" 5000 count_tiny 5000
      # The ideal: 1 s of waiting plus what Download.java needs anyway (JVM start, one request answered at once).
      echo tiny > "$work/www/files/one.txt"; echo "$base/files/one.txt" > "$work/one.txt"
      for rep in $(seq "$runs"); do run_tool virtual "$work/one.txt" "$work/out/one-$rep" 1; done > "$work/one.txt.runs"
      awk '{print $1}' "$work/one.txt.runs" | median > "$work/one.s"
      one_cpu=$(awk -v w="$(cat "$work/one.s")" '$1==w {print $2; exit}' "$work/one.txt.runs")
      echo
      awk -v one="$(cat "$work/one.s")" -v cpu="$one_cpu" -v ref="$ref" \
        'BEGIN {printf "One URL answered at once (start-up and exit, median): %.2f s wall, %.2f s CPU.\nIdeal: 1 s + %.2f s = %.2f s; Download.java virtual took %.2fx that.\n", one, cpu, one, 1 + one, ref / (1 + one)}'
      for tool in platform wget2; do
        awk -v t="$tool" '$1==t {print $4}' "$work/results.txt" | median > "$work/$tool.rss"
      done
      awk -v v="$(awk '$1=="virtual" {print $4}' "$work/results.txt" | median)" -v p="$(cat "$work/platform.rss")" -v w="$(cat "$work/wget2.rss")" \
        'BEGIN {printf "Peak RSS (medians): platform / virtual = %.2fx; virtual / wget2 = %.2fx.\n", p / v, (w > 0 ? v / w : 0)}' ;;
    bandwidth)
      say "generating 32 files of 32 MiB"
      for i in $(seq 1 32); do head -c $((32 << 20)) /dev/urandom > "$work/www/files/big-$i.bin"; done
      seq 1 32 | sed "s|^|$base/files/big-|; s|$|.bin|" > "$work/bandwidth.txt"
      big() { count_same "$1" big-; }
      bench "bandwidth-bound: 32 files of 32 MiB" "$work/bandwidth.txt" 32 big 32
      for rep in $(seq "$runs"); do
        rm -rf "$work/floor"; mkdir -p "$work/floor"; sync
        /usr/bin/time -f "%e" -o "$work/time.txt" sh -c "cat $work/www/files/big-*.bin > $work/floor/all.bin && sync"
        cat "$work/time.txt"
      done | median > "$work/floor.s"
      echo
      awk -v floor="$(cat "$work/floor.s")" -v ref="$ref" \
        'BEGIN {printf "Floor: one plain copy of the same 1 GiB from the server'"'"'s folder to the output disk, with sync (median): %.2f s; Download.java virtual ran at %.0f%% of it.\n", floor, 100 * floor / ref}'
      rm -rf "$work/floor" "$work"/www/files/big-* ;;
    small)
      say "generating 20,000 files of 4 KiB"
      head -c $((20000 * 4096)) /dev/urandom > "$work/small.bin"
      (cd "$work/www/files" && split -b 4096 -a 5 -d "$work/small.bin" small-)
      rm -f "$work/small.bin"
      ls "$work/www/files" | grep '^small-' | sed "s|^|$base/files/|" > "$work/small.txt"
      small() { count_same "$1" small-; }
      bench "many small files: 20,000 files of 4 KiB" "$work/small.txt" 256 small 20000 ;;
    many)
      seq 1 100000 | sed "s|^|$base/quick/|" > "$work/many.txt"
      bench "100,000 URLs, each answered after 50 ms, default options (all 100,000 downloads alive at once)" "$work/many.txt" 0 count_tiny 100000 ;;
    shards)
      # The README's "Beyond one machine" figure: one 20,000-URL list (4 KiB files) as 1, 2 and 4 shards run at once,
      # each its own JVM with its own manifest, into one folder. Wall of the whole group; CPU summed over the shards.
      if [ ! -f "$work/small.txt" ]; then
        say "generating 20,000 files of 4 KiB"
        head -c $((20000 * 4096)) /dev/urandom > "$work/small.bin"
        (cd "$work/www/files" && split -b 4096 -a 5 -d "$work/small.bin" small-)
        rm -f "$work/small.bin"
        ls "$work/www/files" | grep '^small-' | sed "s|^|$base/files/|" > "$work/small.txt"
      fi
      say "scenario: 20,000 URLs as 1, 2 and 4 shards at once ($runs runs each)"
      : > "$work/shards.txt"
      for rep in $(seq "$runs"); do
        for n in 1 2 4; do
          out="$work/out/shards-$n-$rep"; mkdir -p "$out"; sync
          start=$(date +%s.%N); pids=()
          for i in $(seq 0 $((n - 1))); do
            /usr/bin/time -f "%U %S %M" -o "$work/shard-$i.time" "$jdk/bin/java" --enable-preview "${jvm_options[@]}" -cp "$classpath" \
              dl.Download -q --max-connections 256 --per-host 256 --shard "$i/$n" --manifest "$out.m-{shard}.ndjson" \
              -o "$out" "$work/small.txt" >/dev/null 2>"$work/err-$i.txt" &
            pids+=($!)
          done
          wait "${pids[@]}"   # the shards, not nginx
          wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.2f", e - s}')
          cpu=$(cat "$work"/shard-*.time | awk '{c += $1 + $2} END {printf "%.2f", c}')
          ok=$(count_same "$out" small-)
          rm -f "$work"/shard-*.time
          echo "$n $wall $cpu $ok" >> "$work/shards.txt"
          say "  run $rep, $n shards: wall $wall s, CPU $cpu s, $ok/20000 files ok"
        done
      done
      one=$(awk '$1==1 {print $2}' "$work/shards.txt" | median)
      echo
      echo "### one list of 20,000 URLs (4 KiB each) as N shards at once, one folder"
      echo
      echo "| shards | wall, median of $runs (s) | CPU, all shards (s) | files ok | wall / 1 shard |"
      echo "|---|---|---|---|---|"
      for n in 1 2 4; do
        wall=$(awk -v n="$n" '$1==n {print $2}' "$work/shards.txt" | median)
        awk -v n="$n" -v w="$wall" -v one="$one" '$1==n && $2==w {printf "| %d | %s | %s | %s/20000 | %.2fx |\n", n, $2, $3, $4, $2 / one; exit}' "$work/shards.txt"
      done ;;
    *) say "bench: unknown scenario '$scenario' (latency, bandwidth, small, many, shards)"; exit 2 ;;
  esac
done
echo
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $("$jdk/bin/java" -version 2>&1 | head -1)."
