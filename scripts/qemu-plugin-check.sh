#!/usr/bin/env bash
# Compile-checks the l4prof QEMU plugin (Bench/qemu-plugin) against qemu-plugin.h
# of the QEMU in use, where that header is present; skips with a message where not.
# Where qemu-x86_64 (Debian's qemu-user) is present too, runs the profile fixture
# program under it and checks that the plugin records the committed trace.
#   QEMU_PLUGIN_INCLUDE=<qemu source>/include/qemu scripts/qemu-plugin-check.sh [--regenerate]
# --regenerate rebuilds Tests/Fixtures/profile/tiny.elf and tiny.trace.
set -euo pipefail
cd "$(dirname "$0")/.."
inc=${QEMU_PLUGIN_INCLUDE:-}
if [ -z "$inc" ]; then
    for d in /usr/include/qemu /usr/local/include/qemu /usr/include "$HOME"/qemu-src/qemu-*/include/qemu; do
        if [ -f "$d/qemu-plugin.h" ]; then inc=$d; break; fi
    done
fi
if [ -z "$inc" ] || [ ! -f "$inc/qemu-plugin.h" ]; then
    echo "qemu-plugin-check: SKIPPED: no qemu-plugin.h (set QEMU_PLUGIN_INCLUDE to <qemu source>/include/qemu of the QEMU in use; docs/explain.md)"
    exit 0
fi
if ! command -v cc >/dev/null; then
    echo "qemu-plugin-check: SKIPPED: no C compiler"
    exit 0
fi
want=$(sed -n 's/^#define QEMU_PLUGIN_VERSION \([0-9]*\).*/\1/p' "$inc/qemu-plugin.h")
echo "qemu-plugin-check: compiling against $inc/qemu-plugin.h (plugin API version $want)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
make -s -C Bench/qemu-plugin QEMU_PLUGIN_INCLUDE="$inc" OUT="$out"
echo "qemu-plugin-check: built l4prof.so"

fx=Tests/Fixtures/profile
if ! command -v qemu-x86_64 >/dev/null; then
    echo "qemu-plugin-check: trace check SKIPPED: no qemu-x86_64 (Debian's qemu-user)"
    exit 0
fi
if [ "${1:-}" = "--regenerate" ]; then
    cc -nostdlib -static -Wl,--build-id -o "$fx/tiny.elf" "$fx/tiny.S"
    cc -nostdlib -static-pie -Wl,--build-id -o "$fx/tiny-pie.elf" "$fx/tiny.S"
    for p in tiny tiny-pie; do
        rm -f "$fx/$p.trace"
        qemu-x86_64 -plugin "$out/l4prof.so,out=$fx/$p.trace" "$fx/$p.elf"
    done
    echo "qemu-plugin-check: regenerated $fx/tiny{,-pie}.elf and their traces"
    exit 0
fi
for p in tiny tiny-pie; do
    qemu-x86_64 -plugin "$out/l4prof.so,out=$out/$p.trace" "$fx/$p.elf"
    if cmp -s "$out/$p.trace" "$fx/$p.trace"; then
        echo "qemu-plugin-check: the plugin recorded the committed trace of $fx/$p.elf"
    else
        echo "qemu-plugin-check: FAILED: the plugin's trace of $fx/$p.elf differs from $fx/$p.trace:" >&2
        diff "$fx/$p.trace" "$out/$p.trace" | head -20 >&2
        exit 1
    fi
done
