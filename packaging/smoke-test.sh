#!/usr/bin/env bash
# The packaged app's smoke test (CI runs it in `mvn -Pnative verify`, after build-native.sh):
# unpacks the .deb into a temp folder, checks its menu entry, writes the class-data archive there as the .deb's
# postinst would, then starts the packaged launcher headless on a fresh home (so: the demo workspace) with
# --smoke-test, which clicks a demo agent's badge, waits until it runs, clicks again and waits until its
# processes are gone. Fails on any step, and if any process of the unpacked app outlives the test.
#
# Usage: packaging/smoke-test.sh [path/to/agentdeck_X_amd64.deb]
set -euo pipefail
cd "$(dirname "$0")/.."

DEB=${1:-$(ls target/native/agentdeck_*.deb 2>/dev/null | head -1)}
[ -n "$DEB" ] && [ -f "$DEB" ] || { echo "smoke-test.sh: no .deb (run packaging/build-native.sh first)" >&2; exit 2; }
fail() { echo "smoke-test.sh: FAILED: $*" >&2; exit 1; }
started=$(date +%s)

ROOT=$(mktemp -d)
HOMEDIR=$(mktemp -d)
printf '%s' "$ROOT/opt/agentdeck" > "$HOMEDIR/ours.pattern" # read from a file: grep's own command line lacks it
ours() { grep -l -s -F -f "$HOMEDIR/ours.pattern" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3 || true; }
cleanup() {
    # anything still running from the unpacked app was started here: end it by PID, then remove the folders
    for pid in $(ours); do
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$ROOT" "$HOMEDIR"
}
trap cleanup EXIT

dpkg-deb -x "$DEB" "$ROOT"
APP=$ROOT/opt/agentdeck
LAUNCHER=$APP/bin/AgentDeck
[ -x "$LAUNCHER" ] || fail "no launcher at /opt/agentdeck/bin/AgentDeck in $DEB"
DESKTOP=$(ls "$APP"/lib/*.desktop 2>/dev/null | head -1)
[ -n "$DESKTOP" ] || fail "no .desktop entry in $DEB"
grep -qx 'Exec=/opt/agentdeck/bin/AgentDeck' "$DESKTOP" || fail "$(basename "$DESKTOP"): Exec is not the launcher"
icon=$(sed -n 's/^Icon=//p' "$DESKTOP")
[ -f "$ROOT$icon" ] || fail "$(basename "$DESKTOP"): its icon $icon is not in the package"
grep -q '^Categories=.*Development' "$DESKTOP" || fail "$(basename "$DESKTOP"): no Development category"
control=$(dpkg-deb -f "$DEB" Depends)
case "$control" in *libgtk-3-0*) ;; *) fail "the package does not depend on libgtk-3-0 (Depends: $control)" ;; esac
echo "[smoke] package: launcher, menu entry ($(basename "$DESKTOP")), icon, Depends with GTK 3"

"$LAUNCHER" cds-archive | sed 's/^/[smoke] /' || fail "cds-archive (the postinst step) failed"

# The launcher maps the archive: its own classes come from it. (A short command of its own: JAVA_TOOL_OPTIONS
# would reach the agents the smoke test starts too, and their logs would write over this one.)
LOADS=$HOMEDIR/class-load.log
JAVA_TOOL_OPTIONS="-Xlog:class+load=info:file=$LOADS" "$LAUNCHER" version > /dev/null 2>&1 \
    || fail "the launcher's version command failed"
grep -q 'dev.agentdeck.Main source: shared objects file' "$LOADS" \
    || fail "the class-data archive was not used: dev.agentdeck.Main did not come from it"
shared=$(grep -c 'source: shared objects file' "$LOADS" || true)
CLI=$APP/bin/agentdeck
[ -x "$CLI" ] || fail "no command-line launcher at /opt/agentdeck/bin/agentdeck in $DEB"
rm -f "$LOADS"
JAVA_TOOL_OPTIONS="-Xlog:class+load=info:file=$LOADS" "$CLI" version > /dev/null 2>&1 \
    || fail "the command-line launcher's version command failed"
grep -q 'dev.agentdeck.Main source: shared objects file' "$LOADS" \
    || fail "the command-line launcher did not use its class-data archive (agentdeck-cli.jsa)"

# A fresh home, as a new user has: no agents.json, so the panel opens the demo workspace.
set +e
HOME=$HOMEDIR XDG_CONFIG_HOME=$HOMEDIR/config XDG_DATA_HOME=$HOMEDIR/data XDG_STATE_HOME=$HOMEDIR/state \
    timeout 180 "$LAUNCHER" --headless --smoke-test > "$HOMEDIR/smoke.out" 2>&1
code=$?
set -e
sed 's/^/[smoke] /' "$HOMEDIR/smoke.out" | grep -v 'PlatformImpl\|Unsupported JavaFX'
[ $code -eq 0 ] || fail "the packaged launcher's --smoke-test ended with $code"
grep -q '^smoke test: passed' "$HOMEDIR/smoke.out" || fail "no 'smoke test: passed' in its output"
[ -f "$HOMEDIR/data/agentdeck/demo/agents.json" ] || fail "the panel did not open the demo workspace"
left=$(ours | wc -l)
[ "$left" -eq 0 ] || fail "$left processes of the unpacked app outlived the smoke test"
echo "[smoke] passed in $(( $(date +%s) - started )) s (the launcher mapped the class-data archive: $shared classes of its version command came from it)"
