#!/usr/bin/env bash
# Time from `java -jar` to health UP in embedded mode (DESIGN.md §8: within 3 s).
#
#   scripts/startup-time.sh [jar]          plain start, TRIES times (default 3)
#   CDS=1 scripts/startup-time.sh [jar]    the same from an extracted jar with a CDS archive
#                                          built by a training run first
#   CDS=build scripts/startup-time.sh      the run command of ./mvnw -B -Pcds package: target/app's
#                                          jar with the archive the build made (target/app/stamped-sync.jsa)
#   CLASSES=1 ...                          also counts the classes loaded (-Xlog:class+load)
#
# Each try starts on a fresh data directory, polls the management port's health every
# 50 ms, prints the milliseconds to UP and the JVM's CPU time by then, then stops the
# process. On a machine shared with
# other work the figures are not meaningful: say so next to them.
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${1:-$(ls target/stamped-sync-*.jar | grep -v -- '-plain' | head -1)}
TRIES=${TRIES:-3}
PORT=${PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18081}
JAVA_OPTS=${JAVA_OPTS:-}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

APP=(-jar "$JAR")
if [[ "${CDS:-0}" == "build" ]]; then
	if [[ ! -f target/app/stamped-sync.jsa ]]; then
		echo "no target/app/stamped-sync.jsa: run ./mvnw -B -Pcds package first" >&2
		exit 1
	fi
	APP=(-XX:SharedArchiveFile="$PWD/target/app/stamped-sync.jsa" -Xlog:cds*=error -jar "$PWD/target/app/stamped-sync.jar")
elif [[ "${CDS:-0}" == "1" ]]; then
	# Spring Boot's recipe: run from the extracted layout (plain jars on the class path, so
	# the JVM can map their classes), train once with the context refreshed and exited,
	# then start with the archive.
	java -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" >/dev/null
	java -XX:ArchiveClassesAtExit="$WORK/app/app.jsa" -Dspring.context.exit=onRefresh \
		-jar "$WORK/app/$(basename "$JAR")" --stamped-sync.data-dir="$WORK/training" \
		--server.port="$PORT" --management.server.port="$MANAGEMENT_PORT" >"$WORK/training.log" 2>&1 || true
	APP=(-XX:SharedArchiveFile="$WORK/app/app.jsa" -jar "$WORK/app/$(basename "$JAR")")
fi

for try in $(seq 1 "$TRIES"); do
	DATA="$WORK/data-$try"
	LOG_OPTS=()
	if [[ "${CLASSES:-0}" == "1" ]]; then
		LOG_OPTS=(-Xlog:class+load:file="$WORK/classes-$try.log")
	fi
	start=$(date +%s%N)
	# shellcheck disable=SC2086
	java $JAVA_OPTS "${LOG_OPTS[@]}" "${APP[@]}" --stamped-sync.data-dir="$DATA" \
		--server.port="$PORT" --management.server.port="$MANAGEMENT_PORT" >"$WORK/run-$try.log" 2>&1 &
	pid=$!
	up=""
	for _ in $(seq 1 1200); do
		if curl -sf "http://127.0.0.1:$MANAGEMENT_PORT/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; then
			up=$(( ($(date +%s%N) - start) / 1000000 ))
			# CPU time of the JVM so far (user + system): less sensitive to other load.
			ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
			cpu=$(( ticks * 1000 / $(getconf CLK_TCK) ))
			break
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			break
		fi
		sleep 0.05
	done
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if [[ -z "$up" ]]; then
		echo "try $try: not UP (log below)" >&2
		tail -20 "$WORK/run-$try.log" >&2
		exit 1
	fi
	classes=""
	if [[ "${CLASSES:-0}" == "1" ]]; then
		classes=", $(wc -l <"$WORK/classes-$try.log") classes loaded"
	fi
	echo "try $try: health UP after ${up} ms, ${cpu} ms of CPU${classes} (cores: $(nproc), load: $(cut -d' ' -f1 /proc/loadavg))"
done
