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
#   IMAGE=1 scripts/startup-time.sh        the image's start outside the image: the application
#                                          laid out as Jib does (scripts/image-layout.sh) in
#                                          IMAGE_ROOT (default: a temporary directory), started by
#                                          src/main/jib/opt/stamped-sync/start.sh with
#                                          APP_ROOT=IMAGE_ROOT/app; a first start without timing
#                                          (a training run that stops by itself) makes the image's
#                                          CDS archive in IMAGE_ROOT/cds-aot<0|1>, unless an earlier
#                                          run left it there; then the timed tries. The script
#                                          starts with -Dspring.aot.enabled=true (the generated
#                                          context, as this is the embedded mode); AOT=0 passes
#                                          AOT=0 to it (no generated context, an archive of its own)
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

if [[ "${IMAGE:-0}" == "1" ]]; then
	IMAGE_ROOT=$(mkdir -p "${IMAGE_ROOT:-$WORK/image}" && cd "${IMAGE_ROOT:-$WORK/image}" && pwd)
	scripts/image-layout.sh "$IMAGE_ROOT/app" >/dev/null
	# start.sh names the archive after the JVM's release file (the image's JAVA_HOME).
	JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
	IMAGE_ENV=(JAVA_HOME="$JAVA_HOME" APP_ROOT="$IMAGE_ROOT/app" CDS_ARCHIVE_DIR="$IMAGE_ROOT/cds-aot${AOT:-1}")
	if [[ "${AOT:-1}" == "0" ]]; then
		IMAGE_ENV+=(AOT=0)
	fi
	if ! ls "$IMAGE_ROOT/cds-aot${AOT:-1}"/stamped-sync-*.jsa >/dev/null 2>&1; then
		# The image's first start, which writes the archive when it stops: here the training
		# run of the build's archive (startup.TrainingRun), so that it stops by itself.
		echo "training start (writes the image's archive) ..."
		env "${IMAGE_ENV[@]}" sh src/main/jib/opt/stamped-sync/start.sh --stamped-sync.startup.training-run=true \
			--stamped-sync.data-dir="$WORK/training" --server.port=0 --management.server.port=0 \
			--logging.level.root=WARN >"$WORK/training.log" 2>&1 || { tail -20 "$WORK/training.log" >&2; exit 1; }
		ls "$IMAGE_ROOT/cds-aot${AOT:-1}"/stamped-sync-*.jsa >/dev/null
	fi
	APP=()
elif [[ "${PLAIN:-0}" == "1" ]]; then
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
	if [[ "${IMAGE:-0}" == "1" ]]; then
		# The JVM options through JAVA_TOOL_OPTIONS, as in the image; start.sh execs the JVM,
		# so $! is its process.
		TOOL_OPTS=$(echo "$JAVA_OPTS ${LOG_OPTS[*]}" | xargs)
		env "${IMAGE_ENV[@]}" ${TOOL_OPTS:+JAVA_TOOL_OPTIONS="$TOOL_OPTS"} sh src/main/jib/opt/stamped-sync/start.sh \
			--stamped-sync.data-dir="$DATA" --server.port="$PORT" --management.server.port="$MANAGEMENT_PORT" \
			>"$WORK/run-$try.log" 2>&1 &
	else
		# shellcheck disable=SC2086
		java $JAVA_OPTS "${LOG_OPTS[@]}" "${APP[@]}" --stamped-sync.data-dir="$DATA" \
			--server.port="$PORT" --management.server.port="$MANAGEMENT_PORT" >"$WORK/run-$try.log" 2>&1 &
	fi
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
