#!/usr/bin/env bash
# Lays out the application in DIR as Jib puts it in the image (pom.xml, jib-maven-plugin,
# containerizing mode `packaged`), from what `./mvnw -B package` left in target/, so that the
# image's start script can be tried outside the image (APP_ROOT=DIR, see
# src/main/jib/opt/stamped-sync/start.sh; scripts/startup-time.sh IMAGE=1, StartupArchiveIT):
#
#   DIR/classpath/<finalName>.original.jar   the jar before Spring Boot's repackaging (Jib uses
#                                            target/<finalName>.jar.original, renamed so)
#   DIR/libs/*.jar                           the runtime dependencies (links to target/app/lib,
#                                            the same jars), in Maven's order
#   DIR/jib-classpath-file                   DIR/classpath/*, then each library, as Jib writes it
#   DIR/jib-main-class-file                  the main class
#
# The libraries' list and order come from the extracted jar's manifest (target/app/stamped-sync.jar,
# Class-Path), which Spring Boot writes from the same Maven dependencies; the image's base (its
# JDK build) is not reproduced, the JVM that runs the script is.
#
#   scripts/image-layout.sh DIR
set -euo pipefail

cd "$(dirname "$0")/.."
if [[ $# -ne 1 ]]; then
	echo "usage: $0 DIR" >&2
	exit 2
fi
mkdir -p "$1"
DIR=$(cd "$1" && pwd)
ORIGINAL=$(ls target/stamped-sync-*.jar.original 2>/dev/null | head -1 || true)
if [[ -z "$ORIGINAL" || ! -f target/app/stamped-sync.jar ]]; then
	echo "no target/stamped-sync-*.jar.original or target/app: run ./mvnw -B package -DskipTests first" >&2
	exit 1
fi

rm -rf "$DIR/classpath" "$DIR/libs"
mkdir -p "$DIR/classpath" "$DIR/libs"
jar=$(basename "$ORIGINAL" .jar.original).original.jar
# -p: the JVM maps an archive only for jars of the size and time it was made with.
cp -p "$ORIGINAL" "$DIR/classpath/$jar"
classpath="$DIR/classpath/*"
# The manifest's Class-Path, its continuation lines joined.
for entry in $(unzip -p target/app/stamped-sync.jar META-INF/MANIFEST.MF | tr -d '\r' | awk '
	/^Class-Path: / { on = 1; sub(/^Class-Path: /, ""); printf "%s", $0; next }
	on && /^ / { sub(/^ /, ""); printf "%s", $0; next }
	{ on = 0 }'); do
	lib=$(basename "$entry")
	# Spring Boot's own addition for `-Djarmode=tools`, not a dependency of the project.
	if [[ "$lib" == spring-boot-jarmode-tools-* ]]; then
		continue
	fi
	ln -s "$(pwd)/target/app/lib/$lib" "$DIR/libs/$lib"
	classpath="$classpath:$DIR/libs/$lib"
done
printf '%s\n' "$classpath" >"$DIR/jib-classpath-file"
unzip -p target/app/stamped-sync.jar META-INF/MANIFEST.MF | tr -d '\r' | sed -n 's/^Main-Class: //p' >"$DIR/jib-main-class-file"
echo "$DIR: $jar and $(ls "$DIR/libs" | wc -l) libraries, main class $(cat "$DIR/jib-main-class-file")"
