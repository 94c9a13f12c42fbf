#!/usr/bin/env bash
# Checks the unit files: `systemd-analyze verify` and `systemd-analyze security` (score <= 1.5).
# verify needs ExecStart's binary to exist, so it checks copies whose ExecStart points at a temporary
# executable; security is checked on the units as shipped. Exits non-zero on any failure. CI calls it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
threshold="${SECURITY_THRESHOLD:-15}"   # tenths: 15 means a score of 1.5 or better

if ! command -v systemd-analyze >/dev/null; then
    echo "check.sh: systemd-analyze not found (apt-get install systemd)" >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
binary="$work/bin/catalogsyncd"
mkdir -p "$work/bin" "$work/units"
printf '#!/bin/sh\nexit 0\n' >"$binary"
chmod 755 "$binary"

status=0
for unit in catalogsyncd.service catalogsyncd@.service; do
    sed "s|/usr/local/bin/catalogsyncd|$binary|" "$here/$unit" >"$work/units/$unit"
done
# An instance name makes the template verifiable; verify the concrete instance too.
cp "$work/units/catalogsyncd@.service" "$work/units/catalogsyncd@example.service"

for unit in catalogsyncd.service catalogsyncd@example.service; do
    # verify prints problems (and unrelated host warnings) to stderr; only lines naming our unit fail.
    output="$(cd "$work/units" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "./$unit" 2>&1)" || {
        echo "FAIL verify $unit:"
        echo "$output"
        status=1
        continue
    }
    if grep -q "catalogsyncd" <<<"$output"; then
        echo "FAIL verify $unit:"
        echo "$output"
        status=1
    else
        echo "ok   verify $unit"
    fi
done

for unit in catalogsyncd.service catalogsyncd@example.service; do
    source="$work/units/$unit"
    report="$(systemd-analyze security --offline=true --threshold="$threshold" "$source" 2>&1)" && rc=0 || rc=$?
    score="$(grep -o 'Overall exposure level for .*' <<<"$report" | head -n1)"
    if [ "$rc" -eq 0 ]; then
        echo "ok   security $unit: ${score#Overall exposure level for }"
    else
        echo "FAIL security $unit (threshold $threshold): ${score#Overall exposure level for }"
        grep -E '^✗' <<<"$report" | head -n 20 || true
        status=1
    fi
done

exit "$status"
