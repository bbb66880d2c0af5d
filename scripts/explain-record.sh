#!/usr/bin/env bash
# Records an instruction profile of an L4Re run under icount (docs/explain.md):
# builds the l4prof QEMU plugin, runs `l4bench run --target l4re --accel icount`
# with QEMU loading it (L4BENCH_QEMU=Bench/qemu-plugin/qemu-l4prof.sh), then makes
# the profile from every boot's trace and console log and the booted ELF files.
#
#   QEMU_PLUGIN_INCLUDE=<qemu source>/include/qemu L4RE_OBJ=<l4re build> FIASCO_OBJ=<fiasco build> \
#     scripts/explain-record.sh PROFILE [l4bench run options: --bench, --pair, --placement, --samples, ...]
#
# PROFILE is written new (e.g. Results/l4re/vm-qemu-icount/profiles/<run>.l4bp; gzip it to store it).
# The traces stay in the run's work directory (.build-l4re/<run>/[shard-K/]l4prof.trace).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 PROFILE [l4bench run options]" >&2; exit 64; }
out=$1; shift
: "${QEMU_PLUGIN_INCLUDE:?set QEMU_PLUGIN_INCLUDE to <qemu source>/include/qemu of the QEMU in use}"
: "${L4RE_OBJ:?set L4RE_OBJ to the L4Re build directory}"
: "${FIASCO_OBJ:?set FIASCO_OBJ to the Fiasco build directory}"
[ ! -e "$out" ] || { echo "$out exists: the profile is written to a new file" >&2; exit 3; }
plugin_dir=$(mktemp -d)
trap 'rm -rf "$plugin_dir"' EXIT
make -s -C Bench/qemu-plugin QEMU_PLUGIN_INCLUDE="$QEMU_PLUGIN_INCLUDE" OUT="$plugin_dir"
# L4BENCH_CONFIG=debug skips the release build (the runner's speed does not matter here).
config=${L4BENCH_CONFIG:-release}
swift build -c "$config" --product l4bench >/dev/null
bin=$(swift build -c "$config" --show-bin-path)/l4bench
# L4BENCH_PROJECT_ROOT: the checkout whose Bench/l4re is built and booted (default: this one),
# e.g. a worktree of the commit whose run is to be explained; L4BENCH_RUNNER: that checkout's
# l4bench, when its runner and programs belong together (default: this checkout's).
root=${L4BENCH_PROJECT_ROOT:-$PWD}
stamp=$(mktemp)
L4PROF_PLUGIN="$plugin_dir/l4prof.so" L4BENCH_QEMU="$PWD/Bench/qemu-plugin/qemu-l4prof.sh" \
    "${L4BENCH_RUNNER:-$bin}" run --target l4re --accel icount --l4re-obj "$L4RE_OBJ" --fiasco-obj "$FIASCO_OBJ" --project "$root" --no-report "$@" || true
boots=()
while IFS= read -r t; do
    [ "$t" -nt "$stamp" ] && boots+=(--boot "$(dirname "$t")")
done < <(find "$root/.build-l4re" -name l4prof.trace 2>/dev/null | sort)
rm -f "$stamp"
[ ${#boots[@]} -gt 0 ] || { echo "no l4prof.trace from this run: did QEMU load the plugin? (see the console log)" >&2; exit 40; }
elf_fiasco=$FIASCO_OBJ/fiasco.debug
[ -f "$elf_fiasco" ] || elf_fiasco=$FIASCO_OBJ/fiasco
"$bin" explain make-profile "${boots[@]}" --elf "fiasco=$elf_fiasco" \
    --elf-dir "$L4RE_OBJ/bin/amd64_gen/l4f" --output "$out"
