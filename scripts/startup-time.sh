#!/usr/bin/env bash
# Time from `java` to health UP in embedded mode (DESIGN.md §8: within 3 s).
#
#   scripts/startup-time.sh                the documented start: target/app's jar with the
#                                          archive `package` made (target/app/stamped-sync.jsa)
#                                          and the JVM options of docs/performance.md
#   PLAIN=1 scripts/startup-time.sh [jar]  plain `java -jar target/stamped-sync-*.jar`: no
#                                          archive, no options
#   SAME_DATA=1 ...                        every try on one data directory: the first creates
#                                          the journal, the later ones start on an existing one
#   CLASSES=1 ...                          also counts the classes loaded (-Xlog:class+load)
#                                          and how many came from the archive
#   AOT=0 ...                              the documented start without -Dspring.aot.enabled=true
#                                          (the context built at run time, as in the sandbox)
#   APP_DIR=dir ...                        another build's extracted jar and archive (default
#                                          target/app), e.g. a copy of an older build to compare
#   JAVA_OPTS=... ...                      more JVM options
#
# Each try starts on a fresh data directory (unless SAME_DATA=1), polls the management
# port's health every 50 ms, prints the milliseconds to UP and the JVM's CPU time by then
# (in all, and for the main thread, the JIT compilers and the other threads), then stops the
# process. On a machine shared with other work the wall times are not meaningful: say so
# next to them.
set -euo pipefail

cd "$(dirname "$0")/.."
TRIES=${TRIES:-3}
PORT=${PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18081}
JAVA_OPTS=${JAVA_OPTS:-}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [[ "${PLAIN:-0}" == "1" ]]; then
	APP=(-jar "${1:-$(ls target/stamped-sync-*.jar | grep -v -- '-plain' | head -1)}")
else
	APP_DIR=$(cd "${APP_DIR:-target/app}" 2>/dev/null && pwd || echo "${APP_DIR:-target/app}")
	if [[ ! -f "$APP_DIR/stamped-sync.jsa" ]]; then
		echo "no $APP_DIR/stamped-sync.jsa: run ./mvnw -B package -DskipTests first" >&2
		exit 1
	fi
	# The start of docs/performance.md ("Start-up"): the embedded mode on the context the
	# build generated ahead of time.
	AOT_OPTS=(-Dspring.aot.enabled=true)
	if [[ "${AOT:-1}" == "0" ]]; then
		AOT_OPTS=()
	fi
	APP=(-XX:SharedArchiveFile="$APP_DIR/stamped-sync.jsa" -XX:+UseSerialGC -Xlog:cds*=error "${AOT_OPTS[@]}"
		-jar "$APP_DIR/stamped-sync.jar")
fi

# The JVM's CPU time so far by thread, in ms: the main thread (which makes the context), the
# JIT compilers (C1 and C2, about half of a start's CPU on two cores) and every other thread.
cpu_by_thread() {
	for task in /proc/"$1"/task/*; do
		# comm may hold spaces ("C2 CompilerThre"): the fields after it are read from the end.
		printf '%s %s\n' "$(awk '{print $(NF-38) + $(NF-37)}' "$task/stat" 2>/dev/null || echo 0)" "$(cat "$task/comm" 2>/dev/null)"
	done | awk -v tck="$(getconf CLK_TCK)" '
		# The first thread of the launcher and the main thread are both named "java".
		$2 == "java" { main += $1; next }
		/ CompilerThre/ { jit += $1; next }
		{ other += $1 }
		END { printf "main thread %d, JIT %d, other threads %d", main * 1000 / tck, jit * 1000 / tck, other * 1000 / tck }'
}

for try in $(seq 1 "$TRIES"); do
	DATA="$WORK/data-$try"
	if [[ "${SAME_DATA:-0}" == "1" ]]; then
		DATA="$WORK/data"
	fi
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
			split=$(cpu_by_thread "$pid")
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
		classes=", $(wc -l <"$WORK/classes-$try.log") classes loaded, $(grep -c 'shared objects file' "$WORK/classes-$try.log" || true) of them from archives"
	fi
	echo "try $try: health UP after ${up} ms, ${cpu} ms of CPU (${split})${classes} (cores: $(nproc), load: $(cut -d' ' -f1 /proc/loadavg))"
done
