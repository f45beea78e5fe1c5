#!/usr/bin/env bash
# Benchmarks Download.java (virtual and platform threads) against curl -Z, aria2c -i and wget2 -i, all fetching
# the same lists from a private nginx on 127.0.0.1 (plain HTTP, and HTTPS with TLS 1.3 and HTTP/2 offered, its
# certificate from a CA made at start that each tool trusts through its own option). Prints one table per
# scenario: median wall of 3 runs, CPU, peak RSS, files verified, and each tool's wall as a multiple of the first
# row's; then the ratios the project sets as targets (docs/BENCHMARKS.md), each marked met or not.
#
#   bench/run.sh                 every scenario
#   bench/run.sh latency small   only some: latency | bandwidth | small | many | shards | https-small |
#                                https-bandwidth | startup
#   RUNS=5 bench/run.sh          more runs per tool (the median is reported)
#   STARTUP_RUNS=9               runs of each --version in startup (default 5)
#   HTTPS_SMALL_FILES=1000 HTTPS_BIG_FILES=4   fewer files in the HTTPS scenarios (defaults 10000 and 16)
#   PORT=18080 TLS_PORT=18443    nginx's ports on 127.0.0.1
#
# Needs nginx with its echo module, openssl, Maven and a JDK 25 (as for the build). Peers are used where
# installed; run as root, whatever is missing is installed from Debian's packages (curl aria2 wget2 nginx-light
# libnginx-mod-http-echo openssl). startup runs ./jbang, which fetches jbang and the script's dependencies from
# Maven Central on first use, and installs the download command into a temporary JBANG_DIR and HOME.
# Every request of the benchmark goes to 127.0.0.1; nginx is stopped and the files removed at exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${RUNS:-3}
startup_runs=${STARTUP_RUNS:-5}
port=${PORT:-18080}
tls_port=${TLS_PORT:-18443}
https_small_files=${HTTPS_SMALL_FILES:-10000}
https_big_files=${HTTPS_BIG_FILES:-16}
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(latency bandwidth small many shards https-small https-bandwidth startup)

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
missing=()
{ command -v nginx >/dev/null && [ -f "$echo_module" ]; } || missing+=(nginx-light libnginx-mod-http-echo)
for pair in openssl:openssl curl:curl aria2c:aria2 wget2:wget2; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
  say "installing ${missing[*]} from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
  # The nginx package starts a system nginx on port 80; this benchmark runs its own.
  case " ${missing[*]} " in *" nginx-light "*) (service nginx stop || true) >/dev/null 2>&1 ;; esac
fi
for need in nginx openssl; do
  command -v "$need" >/dev/null || { say "bench: needs $need (apt-get install nginx-light libnginx-mod-http-echo openssl)"; exit 2; }
done
[ -f "$echo_module" ] || { say "bench: needs nginx's echo module (apt-get install libnginx-mod-http-echo)"; exit 2; }
for peer in curl aria2c wget2; do command -v "$peer" >/dev/null || say "bench: $peer is not installed: its rows are left out"; done

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
java_download=("$jdk/bin/java" --enable-preview "${jvm_options[@]}" -cp "$classpath" dl.Download)

# --- server --------------------------------------------------------------------------------------------------
# A CA made for this run only (a day long), and the server's certificate from it, for 127.0.0.1 and localhost:
# a CA and a leaf, as a real site has, which every tool's CA option takes.
tls=$work/tls ca=$work/tls/ca.pem
mkdir -p "$work/www/files" "$work/tmp" "$work/logs" "$work/home" "$tls"
new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
new_key "$tls/ca.key"; new_key "$tls/server.key"
openssl req -x509 -new -key "$tls/ca.key" -days 1 -subj "/CN=Download.java bench CA" -out "$ca" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
openssl req -new -key "$tls/server.key" -subj "/CN=127.0.0.1" \
  | openssl x509 -req -CA "$ca" -CAkey "$tls/ca.key" -set_serial "0x$(openssl rand -hex 8)" -days 1 -out "$tls/server.pem" \
      -extfile <(printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=critical,CA:FALSE" \
                   "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth") 2>/dev/null
cat > "$work/locations.conf" <<EOF
    root $work/www;
    location = /ping { return 204; }
    location /files/ { }
EOF
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
    include $work/locations.conf;
    location /slow/ { default_type text/plain; echo_sleep 1; echo "tiny"; }
    location /quick/ { default_type text/plain; echo_sleep 0.05; echo "tiny"; }
  }
  server {
    listen 127.0.0.1:$tls_port ssl http2 backlog=4096;
    ssl_certificate $tls/server.pem;
    ssl_certificate_key $tls/server.key;
    ssl_protocols TLSv1.3;
    include $work/locations.conf;
  }
}
EOF
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
base="http://127.0.0.1:$port"
tls_base="https://127.0.0.1:$tls_port"
up() { [ "$(curl -s --cacert "$ca" -o /dev/null -w '%{http_code}' "$1/ping" 2>/dev/null)" = 204 ]; }
for _ in $(seq 50); do
  up "$base" && up "$tls_base" && break
  kill -0 "$nginx_pid" 2>/dev/null || { say "bench: nginx did not start (are ports $port and $tls_port taken? PORT=... TLS_PORT=... pick others):"; cat "$work/logs/error.log" >&2; exit 2; }
  sleep 0.1
done
up "$tls_base" || { say "bench: nginx does not answer on $tls_base with the bench's certificate:"; cat "$work/logs/error.log" >&2; exit 2; }

# --- one run of one tool: prints "wall cpu rss_kb" ---------------------------------------------------------------
# $1 tool, $2 list, $3 output dir (new), $4 concurrency
run_tool() {
  local tool=$1 list=$2 out=$3 n=$4
  mkdir -p "$out"
  sync   # what the previous tool left in the page cache is not this tool's to write
  # HOME is the bench's: wget2 leaves .wget-ocsp files there, even over plain HTTP.
  local t=(/usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" env HOME="$work/home" timeout 600)
  # Over HTTPS each tool trusts the bench's CA through its own option.
  local trust=()
  case $scenario in https-*)
    case $tool in
      curl) trust=(--cacert "$ca") ;;
      aria2c|wget2) trust=("--ca-certificate=$ca") ;;
      *) trust=(--ca-cert "$ca") ;;
    esac ;;
  esac
  case $tool in
    virtual|platform)
      "${t[@]}" "${java_download[@]}" -q --threads "$tool" "${trust[@]}" \
        --max-connections "$n" --per-host "$n" -o "$out" "$list" >/dev/null 2>"$work/err.txt" || true ;;
    virtual-tmpfs)
      # The same run with its output on tmpfs: what the disk (and durability on it) costs.
      local shm; shm=$(mktemp -d /dev/shm/download-bench.XXXXXX)
      "${t[@]}" "${java_download[@]}" -q "${trust[@]}" \
        --max-connections "$n" --per-host "$n" -o "$shm" "$list" >/dev/null 2>"$work/err.txt" || true
      mv "$shm"/* "$out"/ 2>/dev/null || true; rm -rf "$shm" ;;
    virtual-defaults)
      # --per-host as the old default: with today's polite 8, 100,000 answers of 50 ms from one host take 625 s.
      "${t[@]}" "${java_download[@]}" -q "${trust[@]}" --per-host 256 -o "$out" "$list" >/dev/null 2>"$work/err.txt" || true ;;
    curl)
      sed 's/^\(.*\)$/url = "\1"\nremote-name/' "$list" > "$work/curl.cfg"
      (cd "$out" && "${t[@]}" curl -s -S "${trust[@]}" -Z --parallel-max "$(( n > 300 ? 300 : n ))" -K "$work/curl.cfg" 2>"$work/err.txt") || true ;;
    aria2c)
      "${t[@]}" aria2c -q "${trust[@]}" -i "$list" -d "$out" -j "$n" --file-allocation=none --auto-file-renaming=false \
        --allow-overwrite=true --console-log-level=error --summary-interval=0 2>"$work/err.txt" || true ;;
    wget2)
      "${t[@]}" wget2 -q "${trust[@]}" -i "$list" -P "$out" --max-threads "$n" --no-robots 2>"$work/err.txt" || true ;;
    version-*)
      # The commands people type, from the repository's folder: only the version is asked for.
      local cmd
      case $tool in
        version-java) cmd=("${java_download[@]}") ;;
        version-jbang) cmd=("${in_jbang_home[@]}" ./jbang Download.java) ;;
        version-installed) cmd=("${in_jbang_home[@]}" download) ;;
        *) cmd=("${tool#version-}") ;;
      esac
      (cd "$root" && "${t[@]}" "${cmd[@]}" --version >"$out/version.txt" 2>"$work/err.txt") || rm -f "$out/version.txt" ;;
  esac
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/time.txt"
}

tools() {
  case $scenario in
    many) echo virtual-defaults ;;
    startup)
      echo version-java
      [ -z "$jbang_works" ] || echo version-jbang
      [ -z "$installed" ] || echo version-installed
      for peer in curl wget2; do if command -v "$peer" >/dev/null; then echo "version-$peer"; fi; done ;;
    *)
      echo virtual; echo platform
      [ "$scenario" != small ] || [ ! -d /dev/shm ] || echo virtual-tmpfs
      for peer in curl aria2c wget2; do if command -v "$peer" >/dev/null; then echo "$peer"; fi; done ;;
  esac
}

label() {
  case $1 in
    virtual|platform) echo "Download.java --threads $1" ;;
    virtual-tmpfs) echo "Download.java --threads virtual, output on tmpfs" ;;
    virtual-defaults) echo "Download.java, default options but --per-host 256" ;;
    version-java) echo "Download.java, java -cp (as this bench runs it)" ;;
    version-jbang) echo "./jbang Download.java" ;;
    version-installed) echo "download (./jbang app install --name download Download.java)" ;;
    version-*) echo "${1#version-}" ;;
    *) echo "$1" ;;
  esac
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
      echo "$tool $line $ok $expected" >> "$work/results.txt"
      say "  run $rep $tool: wall ${line%% *} s, $ok/$expected ok"
      [ "$ok" = "$expected" ] || head -3 "$work/err.txt" | sed 's/^/    /' >&2
      case $scenario in *bandwidth) rm -rf "$out" ;; esac   # 1 GiB or 512 MiB a run, and few inodes
    done
  done
  # The first row's median wall (Download.java's): the reference every ratio of the table is taken against.
  local ref_tool; ref_tool=$(tools | awk 'NR==1')
  ref=$(awk -v t="$ref_tool" '$1==t {print $2}' "$work/results.txt" | median)
  local ok_column="files ok"; [ "$scenario" != startup ] || ok_column="printed its version"
  echo
  echo "### $title"
  echo
  echo "| tool | wall, median of $runs (s) | CPU (s) | peak RSS (MiB) | $ok_column | wall / $(label "$ref_tool") |"
  echo "|---|---|---|---|---|---|"
  for tool in $(tools); do
    local wall row
    wall=$(awk -v t="$tool" '$1==t {print $2}' "$work/results.txt" | median)
    row=$(awk -v t="$tool" -v w="$wall" '$1==t && $2==w {print; exit}' "$work/results.txt")
    [ -n "$row" ] || row="$tool - - 0 0"
    set -- $row
    awk -v n="$(label "$tool")" -v w="$2" -v c="$3" -v r="$4" -v ok="$5" -v e="$expected" -v ref="$ref" \
      'BEGIN {printf "| %s | %s | %s | %.0f | %s/%s | %.2fx |\n", n, w, c, r / 1024, ok, e, w / ref}'
  done
}

# --- the targets --------------------------------------------------------------------------------------------------
# Median of column $2 (2 wall, 4 peak RSS) over tool $1's runs in this scenario; nothing if any run missed a file.
stat_of() {
  awk -v t="$1" -v c="$2" '$1==t {v[n++]=$c; if ($5!=$6) bad=1} END {if (!bad) for (i=0; i<n; i++) print v[i]}' \
    "$work/results.txt" | median
}
# "tool wall" of the fastest peer of this scenario, among those that got every file in every run.
best_peer() {
  local peer
  for peer in curl aria2c wget2; do echo "$peer $(stat_of "$peer" 2)"; done | awk 'NF==2' | sort -k2 -n | awk 'NR==1'
}
# One line: $1 what, $2 / $3 (a ratio; $3 = 1 and $6 = " s" for a plain time), $4 <= or >=, $5 the target.
target() {
  awk -v what="$1" -v a="$2" -v b="$3" -v op="$4" -v lim="$5" -v u="${6:-x}" 'BEGIN {
    if (a == "" || b + 0 == 0) { printf "%s: not measured (a tool missing, or a run missed files) (target %s %s%s)\n", what, op, lim, u; exit }
    r = a / b; met = op == "<=" ? r <= lim : r >= lim
    printf "%s = %.2f%s (target %s %s%s): %s\n", what, r, u, op, lim, u, met ? "met" : "not met" }'
}
# $1 the target for Download.java virtual's wall over the best peer's.
against_best_peer() {
  local best peer; best=$(best_peer); peer=${best% *}
  target "Download.java virtual / best peer (${peer:-none})" "$(stat_of virtual 2)" "${best#* }" "<=" "$1"
}

# --- scenarios -----------------------------------------------------------------------------------------------
count_tiny() { (grep -lx tiny -r "$1" 2>/dev/null || true) | wc -l; }
# Files in $1 whose SHA-1 matches the server's file of the same name starting with $2 (one process for all).
count_same() {
  [ -f "$work/$2.sha1" ] || (cd "$work/www/files" && sha1sum "$2"*) > "$work/$2.sha1"
  (cd "$1" && sha1sum -c "$work/$2.sha1" 2>/dev/null | grep -c ': OK$') || true
}
count_version() { if grep -qs . "$1/version.txt"; then echo 1; else echo 0; fi; }
# Serves $3 files of $4 bytes of random data, named $2NNNNN, and lists their URLs under $5 in $work/$1.txt (once).
serve_files() {
  local list=$work/$1.txt prefix=$2 count=$3 size=$4 base=$5
  [ -f "$list" ] && return
  if [ "$size" -ge $((1 << 20)) ]; then say "generating $count files of $((size >> 20)) MiB"; else say "generating $count files of $((size >> 10)) KiB"; fi
  head -c $((count * size)) /dev/urandom | (cd "$work/www/files" && split -b "$size" -a 5 -d - "$prefix")
  ls "$work/www/files" | grep "^$prefix" | sed "s|^|$base/files/|" > "$list"
}
# 1,234,567
thousands() { echo "$1" | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta'; }

# The commands people type, run in a JBANG_DIR and HOME of the bench's own: the user's are left as they are.
# jbang's bin folder is on PATH, or `app install` would add it to the shell start-up files of Java's user.home,
# which is the account's home whatever HOME says; `jbang` there is the repository's ./jbang.
jbang_home=$work/jbang-home
in_jbang_home=(env HOME="$jbang_home" JBANG_DIR="$jbang_home/.jbang" PATH="$jbang_home/.jbang/bin:$jbang_home/bin:$PATH")
jbang_works="" installed=""
prepare_startup() {
  mkdir -p "$jbang_home/bin"; ln -sf "$root/jbang" "$jbang_home/bin/jbang"
  say "warming ./jbang (on first use it fetches jbang from Maven Central), untimed"
  if (cd "$root" && "${in_jbang_home[@]}" ./jbang Download.java --version) >/dev/null 2>"$work/err.txt"; then
    jbang_works=1
  else
    echo "Note: ./jbang did not run here, so its row and the installed command's are left out:"; head -5 "$work/err.txt" | sed 's/^/    /'
    return
  fi
  say "installing the download command into $jbang_home/.jbang/bin"
  if (cd "$root" && "${in_jbang_home[@]}" ./jbang app install --name download Download.java && "${in_jbang_home[@]}" download --version) \
      >/dev/null 2>"$work/err.txt"; then
    installed=1
  else
    echo "Note: './jbang app install --name download Download.java' gave no command that runs here, so its row is left out:"
    head -5 "$work/err.txt" | sed 's/^/    /'
  fi
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
      target "Download.java virtual / wget2, wall" "$(stat_of virtual 2)" "$(stat_of wget2 2)" "<=" 0.9
      target "Download.java virtual / wget2, peak RSS (medians)" "$(stat_of virtual 4)" "$(stat_of wget2 4)" "<=" 2
      target "platform / virtual peak RSS (medians)" "$(stat_of platform 4)" "$(stat_of virtual 4)" ">=" 2.5 ;;
    bandwidth)
      serve_files bandwidth big- 32 $((32 << 20)) "$base"
      big() { count_same "$1" big-; }
      bench "bandwidth-bound: 32 files of 32 MiB" "$work/bandwidth.txt" 32 big 32
      for rep in $(seq "$runs"); do
        rm -rf "$work/floor"; mkdir -p "$work/floor"; sync
        /usr/bin/time -f "%e" -o "$work/time.txt" sh -c "cat $work/www/files/big-* > $work/floor/all.bin && sync"
        cat "$work/time.txt"
      done | median > "$work/floor.s"
      echo
      awk -v floor="$(cat "$work/floor.s")" -v ref="$ref" \
        'BEGIN {printf "Floor: one plain copy of the same 1 GiB from the server'"'"'s folder to the output disk, with sync (median): %.2f s; Download.java virtual ran at %.0f%% of it.\n", floor, 100 * floor / ref}'
      against_best_peer 1.1
      rm -rf "$work/floor" "$work"/www/files/big-* "$work/bandwidth.txt" ;;
    small)
      serve_files small small- 20000 4096 "$base"
      small() { count_same "$1" small-; }
      bench "many small files: 20,000 files of 4 KiB" "$work/small.txt" 256 small 20000
      echo
      target "Download.java virtual / curl" "$(stat_of virtual 2)" "$(stat_of curl 2)" "<=" 1.5 ;;
    many)
      seq 1 100000 | sed "s|^|$base/quick/|" > "$work/many.txt"
      bench "100,000 URLs, each answered after 50 ms, default options but --per-host 256 (all 100,000 downloads alive at once)" "$work/many.txt" 0 count_tiny 100000 ;;
    https-small)
      serve_files https-small https-small- "$https_small_files" 8192 "$tls_base"
      https_small() { count_same "$1" https-small-; }
      bench "HTTPS (TLS 1.3, HTTP/2 offered), small files: $(thousands "$https_small_files") files of 8 KiB, 64 at once" \
        "$work/https-small.txt" 64 https_small "$https_small_files"
      echo
      against_best_peer 1.5 ;;
    https-bandwidth)
      serve_files https-bandwidth https-big- "$https_big_files" $((32 << 20)) "$tls_base"
      https_big() { count_same "$1" https-big-; }
      bench "HTTPS (TLS 1.3, HTTP/2 offered), bandwidth: $https_big_files files of 32 MiB" \
        "$work/https-bandwidth.txt" "$https_big_files" https_big "$https_big_files"
      echo
      against_best_peer 1.5
      rm -rf "$work"/www/files/https-big-* "$work/https-bandwidth.txt" ;;
    startup)
      prepare_startup
      runs=$startup_runs bench "start-up: wall of --version, the commands people type" "" 0 count_version 1
      echo
      target "installed command --version" "$(stat_of version-installed 2)" 1 "<=" 0.35 " s" ;;
    shards)
      # docs/SCALE.md's figure: one 20,000-URL list (4 KiB files) as 1, 2 and 4 shards run at once,
      # each its own JVM with its own manifest, into one folder. Wall of the whole group; CPU summed over the shards.
      serve_files small small- 20000 4096 "$base"
      say "scenario: 20,000 URLs as 1, 2 and 4 shards at once ($runs runs each)"
      : > "$work/shards.txt"
      for rep in $(seq "$runs"); do
        for n in 1 2 4; do
          out="$work/out/shards-$n-$rep"; mkdir -p "$out"; sync
          start=$(date +%s.%N); pids=()
          for i in $(seq 0 $((n - 1))); do
            /usr/bin/time -f "%U %S %M" -o "$work/shard-$i.time" "${java_download[@]}" \
              -q --max-connections 256 --per-host 256 --shard "$i/$n" --manifest "$out.m-{shard}.ndjson" \
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
    *) say "bench: unknown scenario '$scenario' (latency, bandwidth, small, many, shards, https-small, https-bandwidth, startup)"; exit 2 ;;
  esac
done
echo
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $("$jdk/bin/java" -version 2>&1 | head -1)."
