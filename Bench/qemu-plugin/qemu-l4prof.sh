#!/bin/sh
# QEMU with the l4prof plugin, for l4bench's L4BENCH_QEMU hook:
#   L4PROF_PLUGIN=/path/to/l4prof.so L4BENCH_QEMU=Bench/qemu-plugin/qemu-l4prof.sh l4bench run --target l4re --accel icount ...
# The trace goes beside the boot's ned script (the boot's work directory, where its
# console.log is) as l4prof.trace. exec keeps QEMU's PID the one l4bench started and ends.
set -eu
plugin=${L4PROF_PLUGIN:?set L4PROF_PLUGIN to the built l4prof.so (Bench/qemu-plugin/Makefile)}
dir=""
prev=""
for a in "$@"; do
    if [ "$prev" = "-initrd" ]; then
        # -initrd is a comma-separated module list; the ned script is <work dir>/l4bench.cfg
        # (moe's entry names it too, as its argument rom/l4bench.cfg, after a space).
        dir=$(printf '%s\n' "$a" | tr ',' '\n' | sed -n 's|^\(/[^ ]*\)/l4bench\.cfg$|\1|p' | head -n 1)
    fi
    prev=$a
done
[ -n "$dir" ] || { echo "qemu-l4prof.sh: no <dir>/l4bench.cfg in -initrd: not an l4bench boot" >&2; exit 64; }
exec "${L4PROF_QEMU:-qemu-system-x86_64}" -plugin "$plugin,out=$dir/l4prof.trace${L4PROF_LIMIT_MIB:+,limit=$L4PROF_LIMIT_MIB}" "$@"
