#!/usr/bin/env bash
# Starts the otelcol-helicone distribution with config/otelcol-helicone.yaml
# (`make run` builds it first and calls this).
#
#  - HELICONE_API_KEY set:   spans go to Helicone (HELICONE_ENDPOINT, default
#                            https://api.helicone.ai).
#  - HELICONE_API_KEY unset: a local Helicone-compatible endpoint
#                            (cmd/helicone-devserver) is started on 127.0.0.1:8585
#                            and prints every LLM call it receives.
#
# Ctrl-C (or SIGTERM) stops the collector first, so that its queue drains, then
# the local endpoint.
#
# Environment: OTLP_GRPC_ENDPOINT (127.0.0.1:4317), OTLP_HTTP_ENDPOINT
# (127.0.0.1:4318), HEALTH_CHECK_ENDPOINT (127.0.0.1:13133), METRICS_HOST
# (127.0.0.1) and METRICS_PORT (8888) for the collector's own metrics,
# HELICONE_DEVSERVER_ADDR (127.0.0.1:8585), OTELCOL_LOG_LEVEL (warn),
# OTELCOL_HELICONE_BIN, OTELCOL_HELICONE_CONFIG, GO.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bin=${OTELCOL_HELICONE_BIN:-_build/otelcol-helicone}
config=${OTELCOL_HELICONE_CONFIG:-config/otelcol-helicone.yaml}
go=${GO:-go}
log_level=${OTELCOL_LOG_LEVEL:-warn}
devserver_addr=${HELICONE_DEVSERVER_ADDR:-127.0.0.1:8585}
export OTLP_GRPC_ENDPOINT=${OTLP_GRPC_ENDPOINT:-127.0.0.1:4317}
export OTLP_HTTP_ENDPOINT=${OTLP_HTTP_ENDPOINT:-127.0.0.1:4318}
export HEALTH_CHECK_ENDPOINT=${HEALTH_CHECK_ENDPOINT:-127.0.0.1:13133}
export METRICS_HOST=${METRICS_HOST:-127.0.0.1}
export METRICS_PORT=${METRICS_PORT:-8888}

say() { printf 'run: %s\n' "$*"; }
die() { printf 'run: %s\n' "$*" >&2; exit 1; }

[[ -x $bin ]] || die "$bin is missing; build it with: make build"
[[ -r $config ]] || die "$config is missing"

collector_pid=
devserver_pid=

# Children run in their own session: Ctrl-C reaches this script only, which
# then stops them in order (a Go program listening for SIGINT would otherwise
# get it at the same time as us).
start_detached() {
	if command -v setsid >/dev/null; then
		setsid "$@" &
	else
		"$@" &
	fi
}

# stop PID NAME waits up to 30 s for a graceful exit after SIGTERM.
stop() {
	local pid=$1 name=$2
	[[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
	say "stopping $name"
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 300); do
		kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
		sleep 0.1
	done
	say "$name did not stop within 30s; killing it"
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	trap - INT TERM HUP EXIT
	stop "$collector_pid" otelcol-helicone # first: its queue drains to the endpoint
	stop "$devserver_pid" helicone-devserver
}
trap cleanup EXIT
trap 'exit 0' INT # Ctrl-C is the normal way to stop
trap 'exit 143' TERM HUP

# healthy HOST:PORT reports whether GET / answers 200 there (bash only, no curl).
healthy() {
	local addr=$1
	(
		exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}" || exit 1
		printf 'GET / HTTP/1.0\r\nHost: %s\r\n\r\n' "$addr" >&3
		read -r -t 2 _ status _ <&3 || exit 1
		[[ $status == 200 ]]
	) 2>/dev/null
}

# wait_healthy HOST:PORT PID NAME polls the health check until it answers 200,
# for at most 30 s, failing early if PID died.
wait_healthy() {
	local addr=$1 pid=$2 name=$3
	for _ in $(seq 300); do
		kill -0 "$pid" 2>/dev/null || die "$name exited during start-up (is a port in use?)"
		healthy "$addr" && return 0
		sleep 0.1
	done
	die "$name did not become ready at http://$addr/ within 30s"
}

# wait_port HOST:PORT PID NAME polls until something listens there.
wait_port() {
	local addr=$1 pid=$2 name=$3
	for _ in $(seq 300); do
		kill -0 "$pid" 2>/dev/null || die "$name exited during start-up (is $addr in use?)"
		if (exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	die "$name did not listen on $addr within 30s"
}

if [[ -z ${HELICONE_API_KEY:-} ]]; then
	mode=local
	devserver=_build/helicone-devserver
	say "no HELICONE_API_KEY: starting the local Helicone-compatible endpoint on $devserver_addr"
	"$go" build -o "$devserver" ./cmd/helicone-devserver
	start_detached "$devserver" -addr "$devserver_addr"
	devserver_pid=$!
	wait_port "$devserver_addr" "$devserver_pid" helicone-devserver
	export HELICONE_ENDPOINT="http://$devserver_addr"
	# The local endpoint takes any key; the collector only needs one to be set.
	export HELICONE_API_KEY=local-dev-key
else
	mode=helicone
	export HELICONE_ENDPOINT=${HELICONE_ENDPOINT:-https://api.helicone.ai}
fi

start_detached "$bin" --config="$config" --set=service.telemetry.logs.level="$log_level"
collector_pid=$!
wait_healthy "$HEALTH_CHECK_ENDPOINT" "$collector_pid" otelcol-helicone

cat <<EOF

  otelcol-helicone is running ($config)

  Send OTLP traces to   gRPC  $OTLP_GRPC_ENDPOINT
                        HTTP  http://$OTLP_HTTP_ENDPOINT/v1/traces
  Try it                make demo          (in another terminal)
  Health                http://$HEALTH_CHECK_ENDPOINT/
  Collector metrics     http://$METRICS_HOST:$METRICS_PORT/metrics
EOF
if [[ $mode == local ]]; then
	cat <<EOF
  LLM calls go to       the local Helicone-compatible endpoint at $HELICONE_ENDPOINT;
                        each one is printed below as Helicone would log it.
  Use real Helicone     HELICONE_API_KEY=sk-helicone-... make run
                        (EU: also HELICONE_ENDPOINT=https://eu.api.helicone.ai;
                        self-hosted: HELICONE_ENDPOINT=http://localhost:8585)
EOF
else
	cat <<EOF
  LLM calls go to       Helicone at $HELICONE_ENDPOINT (see them in the Helicone dashboard's Requests)
  Use the local one     unset HELICONE_API_KEY and run make run again
EOF
fi
cat <<EOF
  Collector log level   $log_level (OTELCOL_LOG_LEVEL=info make run for more)
  Stop                  Ctrl-C

EOF

# Run until one of them exits or we are told to stop.
set +e
wait -n $collector_pid $devserver_pid
status=$?
set -e
if ! kill -0 "$collector_pid" 2>/dev/null; then
	say "otelcol-helicone exited with status $status"
elif [[ -n $devserver_pid ]] && ! kill -0 "$devserver_pid" 2>/dev/null; then
	say "helicone-devserver exited with status $status"
fi
exit "$status"
