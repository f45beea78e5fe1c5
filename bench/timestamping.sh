#!/usr/bin/env bash
# What -N saves on a mirror's rerun: Download.java against a private nginx on 127.0.0.1 (static files, its own
# ETag and Last-Modified, 304 for If-None-Match / If-Modified-Since), in rounds. Each round runs, one after the
# other, on the same folder:
#   nothing  -N, nothing changed on the server since the last run
#   overwrite  --overwrite, the way to refresh a folder without -N (every file again)
#   changed  -N after 10% of the files were rewritten on the server (new bytes, new time)
# and, for context, plain (a rerun without -N: skips every file without a request, so it sees no change) and,
# where installed, wget -N -i on its own copy (after the round's changes, then again with none). Wall is measured around the command (JVM start included); body
# bytes are what nginx's access log says it sent ($body_bytes_sent). Printed: the median of each, and the
# median over rounds of each round's ratios to its overwrite run. After every changed run the folder is
# compared with the server's files, byte for byte.
#
#   bench/timestamping.sh                         1000 files of 256 KiB, 5 rounds
#   FILES=2000 SIZE=64K ROUNDS=7 PORT=18732 bench/timestamping.sh
#
# Not run by CI. Needs nginx (Debian's), Maven and a JDK 25. Everything lives in /tmp/timestamping-bench.*,
# removed at exit; nginx is stopped by its pid.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
files=${FILES:-1000}
size=${SIZE:-256K}
rounds=${ROUNDS:-5}
port=${PORT:-18731}

say() { printf '%s\n' "$*" >&2; }
command -v nginx >/dev/null || { say "timestamping.sh: needs nginx (apt-get install nginx-light)"; exit 2; }

work=$(mktemp -d /tmp/timestamping-bench.XXXXXX)
chmod 755 "$work"   # nginx's workers run as nobody and must read the files
nginx_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

jdk=""
for dir in ${JAVA_HOME:-} /usr/lib/jvm/*; do
  if [ -x "$dir/bin/java" ] && grep -qs '^JAVA_VERSION="25[."]' "$dir/release"; then jdk=$dir; break; fi
done
[ -n "$jdk" ] || { say "timestamping.sh: no JDK 25 found"; exit 2; }
say "building Download.java"
(cd "$root" && env -u JAVA_HOME mvn -q -B -ntp -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=runtime >/dev/null)
classpath="$root/target/classes:$(cat "$work/cp.txt")"
read -r -a jvm_options <<< "$(sed -n 's|^//RUNTIME_OPTIONS ||p' "$root/Download.java")"
download=("$jdk/bin/java" --enable-preview "${jvm_options[@]}" -cp "$classpath" dl.Download)

# --- the server's files: all dated a day ago; a round's changes get later times of their own -------------------
www=$work/www
mkdir -p "$www"
bytes=$(numfmt --from=iec "$size")
base=$(( $(date +%s) - 86400 ))
say "writing $files files of $size"
for i in $(seq 1 "$files"); do
  head -c "$bytes" /dev/urandom > "$www/f$i.bin"
  echo "http://127.0.0.1:$port/f$i.bin"
done > "$work/urls.txt"
touch -d "@$base" "$www"/*.bin

mkdir -p "$work/logs"
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 4096; }
http {
  log_format sent '\$status \$body_bytes_sent \$bytes_sent';
  access_log $work/logs/access.log sent;
  sendfile on;
  keepalive_requests 100000;
  server { listen 127.0.0.1:$port; root $www; }
}
EOF
nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
# Ours, not another server on that port: nginx still running, and the first file's very bytes.
for _ in $(seq 1 50); do curl -sf -o "$work/probe" "http://127.0.0.1:$port/f1.bin" 2>/dev/null && break; sleep 0.1; done
kill -0 "$nginx_pid" 2>/dev/null && cmp -s "$work/probe" "$www/f1.bin" \
  || { nginx_pid=""; say "timestamping.sh: nginx did not start on 127.0.0.1:$port (in use? give PORT=...)"; exit 2; }

# Runs one command with the access log emptied first; prints "WALL_SECONDS BODY_BYTES REQUESTS 304S WIRE_BYTES"
# (wire: nginx's bytes sent, headers included).
measure() {
  : > "$work/logs/access.log"
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>"$work/last.err" || { say "failed: $*"; cat "$work/last.err" >&2; exit 1; }
  end=$(date +%s%N)
  sleep 0.2   # nginx writes each line at the end of its request: all are in by now
  awk -v wall="$(( end - start ))" '{ sent += $2; wire += $3; n++; if ($1 == 304) nm++ }
    END { printf "%.3f %d %d %d %d\n", wall / 1e9, sent, n, nm, wire }' "$work/logs/access.log"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

out=$work/out
say "first run: every file new"
read -r first_wall first_bytes _ _ _ < <(measure "${download[@]}" -q -N -o "$out" -i "$work/urls.txt")

have_wget=""
if command -v wget >/dev/null; then
  have_wget=yes
  (cd "$work" && mkdir -p wout && cd wout && wget -q -N -i "$work/urls.txt")
fi

: > "$work/rows"
for r in $(seq 1 "$rounds"); do
  read -r n_wall n_bytes n_req n_304 n_wire < <(measure "${download[@]}" -q -N -o "$out" -i "$work/urls.txt")
  read -r o_wall o_bytes _ _ o_wire < <(measure "${download[@]}" -q --overwrite -o "$out" -i "$work/urls.txt")
  read -r p_wall p_bytes p_req _ _ < <(measure "${download[@]}" -q -o "$out" -i "$work/urls.txt")
  # 10% of the files change on the server: new bytes, and a time of this round's own.
  changed=0
  for i in $(seq 1 "$files"); do
    if [ $(( i % 10 )) -eq $(( r % 10 )) ]; then
      head -c "$bytes" /dev/urandom > "$www/f$i.bin"
      touch -d "@$(( base + r * 60 ))" "$www/f$i.bin"
      changed=$(( changed + 1 ))
    fi
  done
  read -r c_wall c_bytes c_req c_304 c_wire < <(measure "${download[@]}" -q -N -o "$out" -i "$work/urls.txt")
  wrong=0
  for i in $(seq 1 "$files"); do cmp -s "$www/f$i.bin" "$out/f$i.bin" || wrong=$(( wrong + 1 )); done
  wc_wall="" wn_wall=""
  if [ -n "$have_wget" ]; then   # the same two reruns by wget -N on its own copy: this round's changes, then none
    read -r wc_wall _ _ _ _ < <(cd "$work/wout" && measure wget -q -N -i "$work/urls.txt")
    read -r wn_wall _ _ _ _ < <(cd "$work/wout" && measure wget -q -N -i "$work/urls.txt")
  fi
  say "round $r: -N unchanged ${n_wall}s ${n_bytes}B ($n_304/$n_req 304), --overwrite ${o_wall}s ${o_bytes}B," \
    "plain ${p_wall}s ($p_req requests), -N with $changed changed ${c_wall}s ${c_bytes}B ($c_304/$c_req 304, $wrong files wrong)" \
    "${wn_wall:+, wget -N unchanged ${wn_wall}s, changed ${wc_wall}s}"
  [ "$wrong" -eq 0 ] || { say "the folder does not match the server after the changed run"; exit 1; }
  echo "$n_wall $n_bytes $o_wall $o_bytes $c_wall $c_bytes $p_wall ${wn_wall:-0} ${wc_wall:-0} $n_wire $o_wire $c_wire" >> "$work/rows"
done

col() { awk -v c="$1" '{ print $c }' "$work/rows" | median; }
ratio() { awk -v a="$1" -v b="$2" '{ print (b && $b > 0) ? $a / $b : 0 }' "$work/rows" | median; }
printf '\n%d files of %s from nginx %s on 127.0.0.1, %d rounds; medians (first run, every file new: %ss, %d body bytes)\n\n' \
  "$files" "$size" "$(nginx -v 2>&1 | sed 's|.*/||')" "$rounds" "$first_wall" "$first_bytes"
printf '| rerun | wall | body bytes | wall / --overwrite | body bytes / --overwrite | bytes sent, headers too / --overwrite |\n|---|---|---|---|---|---|\n'
printf '| `--overwrite` (every file again) | %.2f s | %d | 1 | 1 | 1 |\n' "$(col 3)" "$(col 4)"
printf '| `-N`, nothing changed | %.2f s | %d | %.2f | %.3f | %.4f |\n' "$(col 1)" "$(col 2)" "$(ratio 1 3)" "$(ratio 2 4)" "$(ratio 10 11)"
printf '| `-N`, 10%% of the files changed | %.2f s | %d | %.2f | %.3f | %.4f |\n' "$(col 5)" "$(col 6)" "$(ratio 5 3)" "$(ratio 6 4)" "$(ratio 12 11)"
printf '| plain rerun (skips all, asks nothing, sees no change) | %.2f s | 0 | %.2f | 0 | 0 |\n' "$(col 7)" "$(ratio 7 3)"
if [ -n "$have_wget" ]; then
  printf '| `wget -N -i` (one file after another), nothing changed | %.2f s | | %.2f | | |\n' "$(col 8)" "$(ratio 8 3)"
  printf '| `wget -N -i`, 10%% of the files changed | %.2f s | | %.2f | | |\n' "$(col 9)" "$(ratio 9 3)"
fi
