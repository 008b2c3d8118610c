#!/usr/bin/env bash
# The multi-client scenario (scenario.md) as far as the amqp-tools CLI (Debian amqp-tools,
# rabbitmq-c) goes: declare, publish with properties, consume one, publish and get one, delete.
# It leaves a third message published with properties for the caller to check through amqplib.
# Usage: amqp_tools.sh <host> <port> <queue>
set -euo pipefail
host=$1 port=$2 queue=$3
conn=(--server "$host" --port "$port" --username guest --password guest)
fail() { echo "amqp-tools FAILED: $*" >&2; exit 1; }

declared=$(amqp-declare-queue "${conn[@]}" -q "$queue")
[ "$declared" = "$queue" ] || fail "declare printed '$declared'"
pub() { amqp-publish "${conn[@]}" -r "$queue" -p -C application/json -H "x-str: s" -b "$1"; }

pub one
got=$(amqp-consume "${conn[@]}" -q "$queue" -c 1 cat)
[ "$got" = "one" ] || fail "consumed '$got'"

pub two
got=$(amqp-get "${conn[@]}" -q "$queue")
[ "$got" = "two" ] || fail "got '$got'"
if amqp-get "${conn[@]}" -q "$queue" >/dev/null 2>&1; then fail "queue not empty after get"; fi

pub three # left for the caller
echo 'amqp-tools scenario passed'
