#!/usr/bin/env bash
# Builds AgentDeck as a native app with jpackage, from what `mvn package` left in target/:
#   1. a Java runtime trimmed by jlink to the modules the app uses (with its own class-data archive),
#   2. the app image (target/native/image), native libraries unpacked beside the jars,
#   3. the class list of a headless start of that image, for the class-data archive (AppCDS), and on Linux the
#      class list of its command-line launcher `agentdeck` (a serve and `ctl status`),
#   4. the OS's installer from the image: .deb on Linux, .msi on Windows, .dmg on macOS (target/native/).
# Maven runs it in the `native` profile (mvn -Pnative verify); it also runs on its own after `mvn package`.
#
# Usage: packaging/build-native.sh [--version X.Y.Z] [--type deb|msi|dmg|app-image] [--no-cds]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=target/native
VERSION=""
TYPE=""
CDS=1
while [ $# -gt 0 ]; do
    case "$1" in
        --version) VERSION=$2; shift 2 ;;
        --type) TYPE=$2; shift 2 ;;
        --no-cds) CDS=0; shift ;;
        *) echo "build-native.sh: unknown argument $1 (see the comment at its top)" >&2; exit 2 ;;
    esac
done

case "$(uname -s)" in
    Linux) OS=linux; DEFAULT_TYPE=deb ;;
    Darwin) OS=macos; DEFAULT_TYPE=dmg ;;
    MINGW*|MSYS*|CYGWIN*) OS=windows; DEFAULT_TYPE=msi ;;
    *) echo "build-native.sh: no jpackage configuration for $(uname -s)" >&2; exit 2 ;;
esac
TYPE=${TYPE:-$DEFAULT_TYPE}
if [ -z "$VERSION" ]; then
    VERSION=$(sed -n 's:.*<version>\([0-9][0-9.]*\).*</version>.*:\1:p' pom.xml | head -1)
fi
VERSION=${VERSION%%-*} # jpackage takes numbers only: 0.1.0-SNAPSHOT is 0.1.0

BIN=${JAVA_HOME:+$JAVA_HOME/bin/}
for tool in jlink jpackage; do
    command -v "${BIN}$tool" >/dev/null || { echo "build-native.sh: $tool not found (a full JDK 17+ is needed)" >&2; exit 2; }
done
[ -f target/agentdeck.jar ] && [ -d target/lib ] || {
    echo "build-native.sh: target/agentdeck.jar and target/lib are missing: run mvn package first" >&2; exit 2; }

step() { echo "[native] $*"; }
started=$(date +%s)

# 1. the runtime: only what the app needs; rebuilt when the module list or the JDK changes
MODULES=java.base,java.desktop,java.logging,java.management,java.net.http,java.scripting,java.sql,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.management,jdk.unsupported
KEY=$(printf '%s %s' "$MODULES" "$("${BIN}java" -version 2>&1 | head -1)" | cksum | cut -d' ' -f1)
RUNTIME=$OUT/runtime-$KEY
if [ ! -d "$RUNTIME" ]; then
    step "jlink: $MODULES"
    rm -rf "$OUT"/runtime-*
    # keytool stays (no --strip-native-commands): `serve --tls` makes its certificate with it
    "${BIN}jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=2 \
        --generate-cds-archive --output "$RUNTIME"
fi

# 2. the app image
step "staging the class path"
INPUT=$OUT/input
rm -rf "$INPUT" "$OUT/image"
mkdir -p "$INPUT/lib" "$INPUT/native"
cp target/agentdeck.jar "$INPUT/"
for jar in target/lib/*.jar; do
    # JavaFX's platform-less jars are empty shells beside the platform's; leave them out
    case "$(basename "$jar")" in javafx-*-[0-9]*.[0-9].jar) ;; *) cp "$jar" "$INPUT/lib/" ;; esac
done
if [ "$OS" = linux ]; then
    # JavaFX loads its libraries from beside its jars when they are there (else it unpacks them to ~/.openjfx)
    for jar in "$INPUT"/lib/javafx-*-linux.jar; do
        unzip -q -o -j "$jar" '*.so' -d "$INPUT/lib/" 2>/dev/null || true
    done
    unzip -q -o -j "$INPUT"/lib/sqlite-jdbc-*.jar 'org/sqlite/native/Linux/x86_64/libsqlitejdbc.so' -d "$INPUT/native/"
    unzip -q -o -j "$INPUT"/lib/jna-[0-9]*.jar 'com/sun/jna/linux-x86-64/libjnidispatch.so' -d "$INPUT/native/"
fi

step "jpackage app-image $VERSION"
"${BIN}jpackage" @packaging/jpackage/common.args @packaging/jpackage/app-image.args @packaging/jpackage/$OS-app-image.args \
    --type app-image --app-version "$VERSION" --input "$INPUT" --runtime-image "$RUNTIME" --dest "$OUT/image"

case "$OS" in
    linux) APP=$OUT/image/AgentDeck; LAUNCHER=$APP/bin/AgentDeck; APPDIR=$APP/lib/app ;;
    macos) APP=$OUT/image/AgentDeck.app; LAUNCHER=$APP/Contents/MacOS/AgentDeck; APPDIR=$APP/Contents/app ;;
    windows) APP=$OUT/image/AgentDeck; LAUNCHER=$APP/AgentDeck.exe; APPDIR=$APP/app ;;
esac
CFG=$APPDIR/AgentDeck.cfg

if [ "$OS" = linux ]; then
    # the command line's launcher, a script (packaging/linux/agentdeck): the panel launcher's class path, as the
    # JVM sees it once $APPDIR is expanded, so the class-data archives written at install fit both
    CP=$(sed -n 's/^app\.classpath=\$APPDIR/$app/p' "$CFG" | paste -sd: -)
    sed -e "s|@VERSION@|$VERSION|" -e "s|@CLASSPATH@|$CP|" packaging/linux/agentdeck > "$APP/bin/agentdeck"
    chmod 755 "$APP/bin/agentdeck"
fi

# 3. the class list for the class-data archive (AppCDS): the classes this very image loads up to its first frame
#    (a headless --measure-startup run: it starts no agent, which would run the same launcher and its options).
#    JDK 17 maps an archive only where its jars were when it was written, so the archive itself is written
#    on the machine that installs the app (`AgentDeck cds-archive`, run by the .deb's postinst); the launcher
#    names it from the start (a missing archive is skipped silently).
if [ "$CDS" = 1 ]; then
    step "class list: training run (--headless --measure-startup)"
    TRAIN=$(mktemp -d)
    echo 'java-options=-XX:DumpLoadedClassList=$APPDIR/agentdeck.classlist' >> "$CFG"
    if ! HOME=$TRAIN XDG_CONFIG_HOME=$TRAIN/config XDG_DATA_HOME=$TRAIN/data XDG_STATE_HOME=$TRAIN/state \
        "$LAUNCHER" --headless --measure-startup > "$OUT/cds-training.log" 2>&1; then
        cat "$OUT/cds-training.log" >&2
        echo "build-native.sh: the training run of the app image failed (its output is above)" >&2
        exit 1
    fi
    rm -rf "$TRAIN"
    grep -v 'DumpLoadedClassList' "$CFG" > "$CFG.new" && mv "$CFG.new" "$CFG"
    [ -s "$APPDIR/agentdeck.classlist" ] || { echo "build-native.sh: the training run wrote no class list" >&2; exit 1; }
    printf '%s\n' 'java-options=-XX:SharedArchiveFile=$APPDIR/agentdeck.jsa' 'java-options=-Xshare:auto' >> "$CFG"
    step "class list: $(grep -vc '^#' "$APPDIR/agentdeck.classlist") classes"
    CLI=$(dirname "$LAUNCHER")/agentdeck
    if [ -x "$CLI" ]; then
        # the command line's launcher: the classes of a serve with one agent, and of `ctl status` (table and JSON)
        step "class list of the command line: training run (serve, ctl status)"
        TRAIN=$(mktemp -d)
        mkdir -p "$TRAIN/home"
        printf '%s' '{"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["30"], "autostart": true}]}' \
            > "$TRAIN/home/agents.json"
        printf '%s' '{"stopAllOnExit": true}' > "$TRAIN/home/settings.json"
        JAVA_TOOL_OPTIONS="-XX:DumpLoadedClassList=$TRAIN/serve.list" "$CLI" --home "$TRAIN/home" serve --api-port 0 \
            > "$TRAIN/serve.out" 2>&1 &
        SERVE=$!
        # whatever happens below, the training serve is stopped (TERM stops its agent: stopAllOnExit) and its folder goes
        end_training() {
            kill -TERM "$SERVE" 2>/dev/null || true
            for _ in $(seq 1 100); do kill -0 "$SERVE" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$SERVE" 2>/dev/null || true
            wait "$SERVE" 2>/dev/null || true
            rm -rf "$TRAIN"
        }
        trap end_training EXIT
        for _ in $(seq 1 300); do
            grep -q '^AgentDeck engine serving' "$TRAIN/serve.out" && break
            kill -0 "$SERVE" 2>/dev/null || break
            sleep 0.1
        done
        grep -q '^AgentDeck engine serving' "$TRAIN/serve.out" || {
            cat "$TRAIN/serve.out" >&2
            echo "build-native.sh: the command line's training serve did not start (its output is above)" >&2; exit 1; }
        for run in table:status json:"status --json"; do
            # shellcheck disable=SC2086 # the ctl arguments are split on purpose
            JAVA_TOOL_OPTIONS="-XX:DumpLoadedClassList=$TRAIN/${run%%:*}.list" "$CLI" --home "$TRAIN/home" ctl ${run#*:} \
                > "$TRAIN/ctl.out" 2>&1 || {
                cat "$TRAIN/ctl.out" >&2
                echo "build-native.sh: the training \`ctl ${run#*:}\` failed (its output is above)" >&2; exit 1; }
        done
        kill -TERM "$SERVE"
        wait "$SERVE" || true
        awk '!seen[$0]++' "$TRAIN/json.list" "$TRAIN/table.list" "$TRAIN/serve.list" > "$APPDIR/agentdeck-cli.classlist"
        trap - EXIT
        rm -rf "$TRAIN"
        step "class list of the command line: $(grep -vc '^#' "$APPDIR/agentdeck-cli.classlist") classes"
    fi
fi

# 4. the installer
if [ "$TYPE" != app-image ]; then
    step "jpackage $TYPE"
    rm -f "$OUT"/*."$TYPE"
    "${BIN}jpackage" @packaging/jpackage/common.args @packaging/jpackage/$OS-installer.args \
        --type "$TYPE" --app-version "$VERSION" --app-image "$APP" --dest "$OUT"
    step "built $(ls "$OUT"/*."$TYPE")"
fi
if [ "$CDS" = 1 ]; then
    # the image here gets its archive too (after the installer, which must not carry one written for this path)
    step "$("$LAUNCHER" cds-archive)"
fi
step "done in $(( $(date +%s) - started )) s"
