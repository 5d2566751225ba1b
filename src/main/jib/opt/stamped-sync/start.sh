#!/bin/sh
# The image's entry point: the gateway on the JVM with a class-data-sharing (CDS) archive of
# the classes a start loads, which roughly halves the CPU a start needs.
#
# An archive holds only for the JVM build and the jars, at the very paths, that made it, so
# the image makes its own: a start without one records the classes it loads and writes the
# archive when the JVM stops (-XX:ArchiveClassesAtExit); the starts after it map the archive.
# It lives in CDS_ARCHIVE_DIR (default /data/cds, the writable data volume), named after
# a checksum of this image's JVM release, class path and application jar, so an archive of
# another image is never mapped; those are deleted. CDS_ARCHIVE_DIR= (empty) turns it off.
# Extra JVM options: JAVA_TOOL_OPTIONS.
set -eu

# Where Jib puts the application (APP_ROOT: to try the script outside the image).
APP=${APP_ROOT:-/app}
CDS_DIR=${CDS_ARCHIVE_DIR-/data/cds}
cds=""
if [ -n "$CDS_DIR" ] && mkdir -p "$CDS_DIR" 2>/dev/null && [ -w "$CDS_DIR" ]; then
	key=$(cat "${JAVA_HOME:-/opt/java/openjdk}/release" "$APP/jib-classpath-file" "$APP"/classpath/*.jar | cksum | cut -d' ' -f1)
	archive="$CDS_DIR/stamped-sync-$key.jsa"
	if [ -s "$archive" ]; then
		cds="-XX:SharedArchiveFile=$archive"
	else
		find "$CDS_DIR" -maxdepth 1 -name 'stamped-sync-*.jsa' ! -name "stamped-sync-$key.jsa" -delete
		cds="-XX:ArchiveClassesAtExit=$archive"
	fi
fi

# -XX:+UseSerialGC: the start's JVM options of docs/performance.md (the collector a JVM picks
# by itself on a small machine; a start with it needs less CPU, transfers no more).
# -Xlog:cds*=error: the classes CDS cannot hold are skipped without a line each.
# shellcheck disable=SC2086
exec java -XX:MaxRAMPercentage=75 -XX:+UseSerialGC $cds -Xlog:cds*=error -cp "@$APP/jib-classpath-file" "@$APP/jib-main-class-file" "$@"
