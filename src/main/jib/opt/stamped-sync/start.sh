#!/bin/sh
# The image's entry point: the gateway on the JVM with a class-data-sharing (CDS) archive of
# the classes a start loads, which roughly halves the CPU a start needs, and, in the embedded
# mode, on the context the build generated ahead of time (-Dspring.aot.enabled=true), as the
# documented start of docs/performance.md ("Start-up"); the gateway itself runs any other
# mode on the context built at run time.
#
# An archive holds only for the JVM build and the jars, at the very paths, that made it, so
# the image makes its own: a start without one records the classes it loads and writes the
# archive when the JVM stops (-XX:ArchiveClassesAtExit); the starts after it map the archive.
# It lives in CDS_ARCHIVE_DIR (default /data/cds, the writable data volume), named after
# a checksum of this image's JVM release, class path, application jar and AOT setting, so an
# archive of another image, or one trained with AOT=0, is never mapped; those are deleted.
# CDS_ARCHIVE_DIR= (empty) turns it off.
# AOT=0: never the generated context (below).
# Extra JVM options: JAVA_TOOL_OPTIONS.
set -eu

# Where Jib puts the application (APP_ROOT: to try the script outside the image).
APP=${APP_ROOT:-/app}
CDS_DIR=${CDS_ARCHIVE_DIR-/data/cds}

# The context the build generated ahead of time, for its embedded mode: in any other mode
# (a distributed replica, the sandbox profile, ...) startup.AheadOfTimeModeGuard turns the
# flag off before the context is made and logs that the start builds its context at run time.
# AOT=0: never the generated context.
case ${AOT:-1} in
0 | false) aot="" ;;
*) aot="-Dspring.aot.enabled=true" ;;
esac

cds=""
if [ -n "$CDS_DIR" ] && mkdir -p "$CDS_DIR" 2>/dev/null && [ -w "$CDS_DIR" ]; then
	# The AOT setting is part of the key: an archive trained on the other context would be
	# mapped, but the start would still read its own classes from the jars. The mode is not
	# (only the gateway knows whether it falls back to the context built at run time): a data
	# volume serves one mode, the embedded overlay's claim the build's, and a distributed
	# replica's /data is an emptyDir, so each new pod trains its own. A volume whose pod changes
	# mode keeps the archive of its first one, which is correct but slower to start in the
	# other: delete CDS_ARCHIVE_DIR/stamped-sync-*.jsa then.
	key=$( {
		cat "${JAVA_HOME:-/opt/java/openjdk}/release" "$APP/jib-classpath-file" "$APP"/classpath/*.jar || true
		echo "$aot"
	} | cksum | cut -d' ' -f1)
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
exec java -XX:MaxRAMPercentage=75 -XX:+UseSerialGC $cds -Xlog:cds*=error $aot -cp "@$APP/jib-classpath-file" "@$APP/jib-main-class-file" "$@"
