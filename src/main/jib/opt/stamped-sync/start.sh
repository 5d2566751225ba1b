#!/bin/sh
# The image's entry point: the gateway on the JVM with a class-data-sharing (CDS) archive of
# the classes a start loads, which roughly halves the CPU a start needs, and, in the embedded
# mode, on the context the build generated ahead of time (-Dspring.aot.enabled=true), as the
# documented start of docs/performance.md ("Start-up").
#
# An archive holds only for the JVM build and the jars, at the very paths, that made it, so
# the image makes its own: a start without one records the classes it loads and writes the
# archive when the JVM stops (-XX:ArchiveClassesAtExit); the starts after it map the archive.
# It lives in CDS_ARCHIVE_DIR (default /data/cds, the writable data volume), named after
# a checksum of this image's JVM release, class path, application jar and AOT setting, so an
# archive of another image, or one trained with the other setting, is never mapped; those are
# deleted. CDS_ARCHIVE_DIR= (empty) turns it off.
# AOT=1 or AOT=0: use the generated context or not, whatever the mode looks like (below).
# Extra JVM options: JAVA_TOOL_OPTIONS.
set -eu

# Where Jib puts the application (APP_ROOT: to try the script outside the image).
APP=${APP_ROOT:-/app}
CDS_DIR=${CDS_ARCHIVE_DIR-/data/cds}

# Whether the start asks for another mode than the build's embedded one, for which
# spring-boot:process-aot generated the context: the settings startup.AheadOfTimeMode compares,
# read where the gateway binds them from: the variables (k8s/base/configmap.yaml, the
# overlays' deployment patches), then -Dname=value in JAVA_TOOL_OPTIONS, then --name=value
# arguments, the later winning as in Spring. Any other way of setting them
# (SPRING_APPLICATION_JSON, another configuration file, another spelling) counts as another
# mode: a start without the generated context is only slower, one on it in the wrong mode is
# refused by startup.AheadOfTimeModeGuard.
lower() {
	printf '%s' "$1" | tr '[:upper:]' '[:lower:]' | tr -d ' '
}
is_false() {
	case $(lower "$1") in
	false | off | no | 0) return 0 ;;
	*) return 1 ;;
	esac
}
another_mode() {
	mode_profiles=${SPRING_PROFILES_ACTIVE:-}
	mode_default_profiles=${SPRING_PROFILES_DEFAULT:-}
	mode_cluster=${STAMPED_SYNC_CLUSTER_ENABLED:-false}
	mode_ui=${STAMPED_SYNC_API_DOCS_UI_ENABLED:-false}
	mode_swagger_ui=${SPRINGDOC_SWAGGER_UI_ENABLED:-false}
	mode_api_docs=${SPRINGDOC_API_DOCS_ENABLED:-true}
	mode_server_port=${SERVER_PORT:-8080}
	mode_management_port=${MANAGEMENT_SERVER_PORT:-8081}
	[ -n "${SPRING_PROFILES_INCLUDE:-}${SPRING_APPLICATION_JSON:-}" ] && return 0
	[ -n "${SPRING_CONFIG_LOCATION:-}${SPRING_CONFIG_ADDITIONAL_LOCATION:-}${SPRING_CONFIG_IMPORT:-}" ] && return 0
	# shellcheck disable=SC2086
	for mode_setting in ${JAVA_TOOL_OPTIONS:-} "$@"; do
		mode_setting=${mode_setting#-D}
		mode_setting=${mode_setting#--}
		mode_value=${mode_setting#*=}
		case $mode_setting in
		spring.profiles.active=*) mode_profiles=$mode_value ;;
		spring.profiles.default=*) mode_default_profiles=$mode_value ;;
		stamped-sync.cluster.enabled=*) mode_cluster=$mode_value ;;
		stamped-sync.api-docs.ui-enabled=*) mode_ui=$mode_value ;;
		springdoc.swagger-ui.enabled=*) mode_swagger_ui=$mode_value ;;
		springdoc.api-docs.enabled=*) mode_api_docs=$mode_value ;;
		server.port=*) mode_server_port=$mode_value ;;
		management.server.port=*) mode_management_port=$mode_value ;;
		*profiles* | *cluster.enabled* | *springdoc* | *api-docs* | *management.server* | spring.config.*) return 0 ;;
		esac
	done
	# The embedded mode runs with no profile: "default" is the profile Spring takes for none.
	case $(lower "$mode_profiles") in
	'' | default) ;;
	*) return 0 ;;
	esac
	case $(lower "$mode_default_profiles") in
	'' | default) ;;
	*) return 0 ;;
	esac
	# A distributed replica (k8s/overlays/distributed), SpringDoc's switches.
	is_false "$mode_cluster" || return 0
	is_false "$mode_ui" || return 0
	is_false "$mode_swagger_ui" || return 0
	is_false "$mode_api_docs" && return 0
	# Actuator on a port of its own: neither disabled nor the server's (0 is a port of its own).
	case $mode_management_port in
	-*) return 0 ;;
	esac
	[ "$mode_management_port" != 0 ] && [ "$mode_management_port" = "$mode_server_port" ] && return 0
	return 1
}
aot=${AOT:-}
if [ -z "$aot" ]; then
	if another_mode "$@"; then aot=0; else aot=1; fi
fi
case $aot in
1 | true) aot="-Dspring.aot.enabled=true" ;;
*) aot="" ;;
esac

cds=""
if [ -n "$CDS_DIR" ] && mkdir -p "$CDS_DIR" 2>/dev/null && [ -w "$CDS_DIR" ]; then
	# The AOT setting is part of the key: an archive trained on the other context would be
	# mapped, but the start would still read its own classes from the jars.
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
