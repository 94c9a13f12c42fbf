#!/usr/bin/env bash
# The README's test command (make test): builds, then runs the tests in phases — unit (every module's own
# tests, in parallel), daemon (catalogsyncd and catalogctl as real processes), end to end (the daemon
# against the sandbox twins, one suite at a time) — and prints each phase's wall time and the 15
# slowest tests. Exits non-zero when any phase fails; every phase still runs.
#
# SKIP_END_TO_END=1 leaves out the end-to-end phase (a few minutes instead of about fifteen).
set -uo pipefail
cd "$(dirname "$0")/../.."
SWIFT=${SWIFT:-swift}
results=$(mktemp -d)
status=0
phases=()

phase() {
    local name=$1
    shift
    local started=$SECONDS
    echo "==> $name: $*"
    "$@"
    local code=$?
    local took=$((SECONDS - started))
    phases+=("$(printf '%-12s %5d s  %s' "$name" "$took" "$([ $code = 0 ] && echo ok || echo "FAILED ($code)")")")
    [ $code = 0 ] || status=1
    return $code
}

phase build $SWIFT build --build-tests || { printf '%s\n' "${phases[@]}"; exit 1; }
phase unit $SWIFT test --skip-build --parallel --num-workers 2 --skip DaemonTests --skip EndToEndTests \
    --xunit-output "$results/unit.xml"
phase daemon $SWIFT test --skip-build --parallel --num-workers 2 --filter DaemonTests \
    --xunit-output "$results/daemon.xml"
if [ -z "${SKIP_END_TO_END:-}" ]; then
    phase end-to-end $SWIFT test --skip-build --filter EndToEndTests --xunit-output "$results/end-to-end.xml"
fi

echo
echo "Phase times (make test):"
printf '  %s\n' "${phases[@]}"
python3 Tests/Scripts/slowest-tests.py 15 "$results"/*-swift-testing.xml || true
rm -rf "$results"
exit $status
