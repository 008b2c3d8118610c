#!/usr/bin/env bash
# A backlog that expires while publishers keep going (issue 7): a durable queue with
# x-message-ttl, persistent messages published at a fixed rate with no consumer. Once the
# backlog reaches rate × TTL it should stay there, and the broker's CPU and RSS should stay flat
# (one expiry timer per queue, expired heads dropped without reading them back).
#   bash bench/ttl-backlog.sh [rate=50000] [ttl_ms=20000] [seconds=90]
# Needs ../shared/tools/amqpperf (build it with its build.sh) and `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-50000}; TTL=${2:-20000}; SECS=${3:-90}
PORT=5679
PERF=../shared/tools/amqpperf/amqpperf
DATA=$(mktemp -d /tmp/warren-ttl-XXXX)
node dist/cli.js --management-port -1 --prometheus-port -1 --port $PORT --data-dir "$DATA" --log-level warn > "$DATA.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 50); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
node -e "
const amqp = require('amqplib');
(async () => { const c = await amqp.connect('amqp://guest:guest@127.0.0.1:$PORT/'); const ch = await c.createChannel();
await ch.assertQueue('ttl-q', { durable: true, arguments: { 'x-message-ttl': $TTL } }); await c.close(); })();"
$PERF -uri amqp://guest:guest@127.0.0.1:$PORT/ -x 1 -y 0 -s 16 -p -c 3000 -r "$RATE" -predeclared -u ttl-q -z "$SECS" > "$DATA.perf.json" &
PERFPID=$!
TICKS=$(getconf CLK_TCK)
prev=$(awk '{print $14+$15}' /proc/$PID/stat)
echo "  t(s)  backlog  cpu%  rss(MB)  segments"
for t in $(seq 5 5 "$SECS"); do
  sleep 5
  now=$(awk '{print $14+$15}' /proc/$PID/stat)
  cpu=$(( (now - prev) * 100 / (5 * TICKS) )); prev=$now
  rss=$(( $(awk '/VmRSS/{print $2}' /proc/$PID/status) / 1024 ))
  backlog=$(node -e "
const amqp = require('amqplib');
(async () => { const c = await amqp.connect('amqp://guest:guest@127.0.0.1:$PORT/'); const ch = await c.createChannel();
console.log((await ch.checkQueue('ttl-q')).messageCount); await c.close(); })();")
  segs=$(ls "$DATA"/vhosts/*/ | grep -c '^msgs\.' || true)
  printf "%6d %8d %5d %8d %9d\n" "$t" "$backlog" "$cpu" "$rss" "$segs"
done
wait $PERFPID || true
node -e "const r=require('$DATA.perf.json'); console.log('published/s', Math.round(r.publish_rate ?? r.confirm_rate), 'nacks', r.nacks)"
grep -c '"level":50' "$DATA.log" | xargs echo "error log lines:"
