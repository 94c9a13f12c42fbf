#!/usr/bin/env bash
# HTTP engine benchmark: N small GETs at C in flight against a loopback HTTP/1.1 nginx, first through CurlHTTP
# (the BenchHTTP release binary), then through the curl tool (`--parallel --parallel-max C`), same URLs, same run.
# nginx runs one worker pinned to CPU 0; each client is pinned to CPU 1. The clients alternate for
# $HTTP_BENCH_ROUNDS rounds (default 3); the line reports the median req/s of each and the most connections the
# engine opened in any round. Per-round figures go to stderr.
#
# Usage: Benchmarks/http.sh <path to release BenchHTTP> [requests=100000] [concurrency=50]
# Prints: http: engine <req/s>, curl <req/s>, ratio <engine/curl>, connections <n>
set -euo pipefail

bench_binary=${1:?usage: Benchmarks/http.sh <path to release BenchHTTP> [requests] [concurrency]}
requests=${2:-100000}
concurrency=${3:-50}
rounds=${HTTP_BENCH_ROUNDS:-3}

nginx_binary=$(command -v nginx || true)
[ -z "$nginx_binary" ] && [ -x /usr/sbin/nginx ] && nginx_binary=/usr/sbin/nginx
if [ -z "$nginx_binary" ]; then
    echo "http.sh: installing nginx-light (apt)" >&2
    sudo=$([ "$(id -u)" = 0 ] || echo sudo)
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx-light >/dev/null
    nginx_binary=/usr/sbin/nginx
fi

pin_server=""
pin_client=""
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    pin_server="taskset -c 0"
    pin_client="taskset -c 1"
fi

work=$(mktemp -d)
nginx_pid=""
cleanup() {
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/tmp"
cat >"$work/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/tmp;
    proxy_temp_path $work/tmp;
    fastcgi_temp_path $work/tmp;
    uwsgi_temp_path $work/tmp;
    scgi_temp_path $work/tmp;
    keepalive_requests 10000000;
    keepalive_timeout 120s;
    server {
        listen 127.0.0.1:$port;
        location / { default_type application/json; return 200 '{"ok":true}\n'; }
    }
}
CONF
$pin_server "$nginx_binary" -c "$work/nginx.conf" -e "$work/error.log" &
nginx_pid=$!
for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/ready" && break
    sleep 0.05
done

# The same URL list for both clients: distinct paths, as a sync run would produce.
seq 1 "$requests" | sed "s|^|http://127.0.0.1:$port/items/|" >"$work/urls.txt"
sed 's|^\(.*\)$|url = "\1"\noutput = "/dev/null"|' "$work/urls.txt" >"$work/curl.config"

# Alternate the two clients for several rounds and compare medians: the machine is shared, so a single run can be
# slowed by an unrelated process on the client's core.
engine_runs=()
curl_runs=()
connections=0
for _ in $(seq 1 "$rounds"); do
    engine_line=$($pin_client "$bench_binary" "$work/urls.txt" "$concurrency")
    engine_runs+=("$(sed -n 's/.*engine_rps=\([0-9]*\).*/\1/p' <<<"$engine_line")")
    run_connections=$(sed -n 's/.*connections=\([0-9]*\).*/\1/p' <<<"$engine_line")
    [ "$run_connections" -gt "$connections" ] && connections=$run_connections

    curl_start=$(date +%s.%N)
    $pin_client curl --silent --no-progress-meter --show-error --fail --parallel --parallel-max "$concurrency" \
        --config "$work/curl.config"
    curl_end=$(date +%s.%N)
    curl_runs+=("$(python3 -c "print(round($requests / ($curl_end - $curl_start)))")")
done

python3 - "$connections" "${engine_runs[*]}" "${curl_runs[*]}" <<'PY'
import statistics, sys
connections = sys.argv[1]
engine = statistics.median(int(v) for v in sys.argv[2].split())
curl = statistics.median(int(v) for v in sys.argv[3].split())
print(f"http: engine {engine:.0f}, curl {curl:.0f}, ratio {engine / curl:.2f}, connections {connections}", flush=True)
print(f"http: rounds engine [{sys.argv[2]}] curl [{sys.argv[3]}] (req/s, medians above)", file=sys.stderr)
PY
