#!/usr/bin/env bash
# What l4swift-gen makes of every header of an L4Re build that declares RPCs:
# for each interface, the RPCs that generate and the features the others would
# need (the table of docs/l4re-interfaces.md); the Swift of each header is
# type-checked as Embedded Swift with L4Wire and CL4 over the build's headers. With MUTANTS=N, each header is also fed N times
# with bytes changed, and no run may trap (exit above 128) or take over 10 s
# (MUTANT_SEED=K draws another family of N mutants; 0, the default, is the first).
#   scripts/l4re-interface-coverage.sh L4RE_OBJ [> table.md]
# L4RE_OBJ is an existing L4Re build directory (its include/ tree is read).
set -euo pipefail
obj=${1:?usage: scripts/l4re-interface-coverage.sh L4RE_BUILD_DIR}
cd "$(dirname "$0")/.."
inc="$obj/include"
[ -f "$inc/l4/sys/cxx/ipc_iface" ] || { echo "coverage: $inc/l4/sys/cxx/ipc_iface not found (an amd64 L4Re build directory?)" >&2; exit 2; }
swift build --product l4swift-gen >/dev/null
bin=$(swift build --show-bin-path)
out=$(mktemp -d "${TMPDIR:-/tmp}/l4bench-iface-coverage.XXXXXX")
trap 'rm -rf "$out"' EXIT
# a copy: a rebuild of the checkout during a long run does not swap the binary under it
cp "$bin/l4swift-gen" "$out/l4swift-gen"
gen=$out/l4swift-gen
crashes=${CRASH_DIR:-${TMPDIR:-/tmp}/l4bench-iface-crashes}
# the L4Re build's libc headers too; libc's structs that l4/re/itas passes go as C lays them out (--c-type),
# Swift taking them from L4Swift's C module (CL4 includes signal.h and sys/time.h)
flags=(-I "$inc/amd64" -I "$inc" -I "$inc/uclibc-ng" --learn l4/re/protocols.h
       --c-type 'struct sigaction' --c-type sigset_t --c-type 'struct sigaltstack' --c-type 'struct itimerval')
# the type-check is Embedded Swift's, as on L4Re: L4Wire's sources with the generated file, CL4 over the build's headers
. scripts/lib/cl4-flags.sh
mapfile -t cl4flags < <(cl4_real_flags "$inc")
embedded=(-target x86_64-unknown-none-elf -enable-experimental-feature Embedded -parse-as-library -wmo "${cl4flags[@]}")

# headers that mention an RPC macro outside comments (BID installs them as links: -R follows them)
mapfile -t headers < <(cd "$inc" && grep -RlE '\bL4_(INLINE_)?RPC(_NF)?(_OP)?[[:space:]]*\(' l4 | sort)

# a C++ compiler for the layout asserts (the generator's struct layouts against C++'s), if there is one
cxx=${CXX:-}
if [ -z "$cxx" ]; then for c in g++ clang++; do command -v "$c" >/dev/null && { cxx=$c; break; }; done; fi
asserts=0
echo "| header | interface | RPCs generated | what the others need |"
echo "|---|---|---|---|"
total=0; done_=0; ifaces=0; full=0; failed=0
for h in "${headers[@]}"; do
  set +e
  "$gen" "${flags[@]}" --coverage "$h" >"$out/cov.tsv" 2>"$out/cov.err"
  rc=$?
  set -e
  if [ $rc -ge 128 ]; then echo "coverage: $h: the generator died (exit $rc)" >&2; failed=1; continue; fi
  if [ $rc -eq 4 ] || [ ! -s "$out/cov.tsv" ]; then
    echo "| \`$h\` | – | – | no interface with RPCs (examples in comments, server-side helpers) |"
    continue
  fi
  while IFS=$'\t' read -r kind name gen_ all missing; do
    if [ "$kind" = interface ]; then
      ifaces=$((ifaces + 1)); total=$((total + all)); done_=$((done_ + gen_))
      [ "$gen_" = "$all" ] && full=$((full + 1))
      echo "| \`$h\` | \`$name\` | $gen_ of $all | ${missing:-–} |"
    else
      echo "| \`$h\` | \`$name\` | refused | $missing |"
    fi
  done <"$out/cov.tsv"
  # what generates also compiles
  if "$gen" "${flags[@]}" --skip-unsupported --import CL4 -o "$out/iface.swift" "$h" 2>/dev/null; then
    if ! swiftc "${embedded[@]}" -typecheck Sources/L4Wire/*.swift "$out/iface.swift" 2>"$out/tc.err"; then
      echo "coverage: $h: the generated Swift does not compile:" >&2; head -5 "$out/tc.err" >&2; failed=1
    fi
    # the layouts of its struct arguments, compiled as static_asserts with the header and the build's headers
    if [ -n "$cxx" ] && "$gen" "${flags[@]}" --skip-unsupported --layout-asserts "$h" >"$out/layout.cc" 2>/dev/null; then
      k=$(grep -c '^static_assert' "$out/layout.cc" || true)
      if [ "$k" -gt 0 ]; then
        if "$cxx" -std=gnu++20 -fsyntax-only -Wno-invalid-offsetof -D__L4 -I "$inc/amd64/l4f" -I "$inc/amd64" -I "$inc/l4f" \
             -I "$inc" -I "$inc/uclibc-ng" "$out/layout.cc" 2>"$out/layout.err"; then
          asserts=$((asserts + k))
        else
          echo "coverage: $h: a struct layout differs from C++'s:" >&2; grep -m5 error "$out/layout.err" >&2; failed=1
        fi
      fi
    fi
  fi
done
echo
echo "$ifaces interfaces in ${#headers[@]} headers; $full generate completely; $done_ of $total RPCs generate."
if [ -n "$cxx" ]; then echo "$asserts layout facts of their struct arguments (sizeof, alignof, offsetof) hold in C++ ($cxx)."
else echo "(no C++ compiler: the struct layouts were not checked against C++)"; fi

if [ -n "${MUTANTS:-}" ]; then
  # the release build, N mutants of each header written at once, run in batches by one process each
  # (l4swift-gen --each: every header on its own, as separate runs; includes read once); a batch whose
  # process dies is run again one mutant a process, to name the one that traps
  swift build -c release --product l4swift-gen >/dev/null
  cp "$(swift build -c release --show-bin-path)/l4swift-gen" "$out/l4swift-gen-release"
  rgen=$out/l4swift-gen-release
  batch=${MUTANT_BATCH:-200}
  n=0; bad=0; slowest=0; slowname=""
  for h in "${headers[@]}"; do
    rm -rf "$out/mut"; mkdir -p "$out/mut"
    python3 - "$inc/$h" "$out/mut" "$MUTANTS" "${MUTANT_SEED:-0}" <<'PY'
import random, sys
src, dst, count, family = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
orig = open(src, 'rb').read()
alphabet = b'<>(),;{}*&:_=0x1aLF \n#"\'`\\/[]-+~!?.%^|$@'
for seed in range(1, count + 1):
    b = bytearray(orig)
    r = random.Random(seed * 7919 + len(b) + family * 1000003)   # MUTANT_SEED=K: another K-th family of mutants
    for _ in range(r.randint(1, 8)):
        i = r.randrange(len(b))
        op = r.randrange(4)
        if op == 0: b[i] = r.choice(alphabet)
        elif op == 1: del b[i:i + r.randint(1, 40)]
        elif op == 2: b[i:i] = bytes(r.choice(alphabet) for _ in range(r.randint(1, 20)))
        else:   # a copy of another part of the header (declarations doubled, nested, cut)
            j = r.randrange(len(b)); b[i:i] = b[j:j + r.randint(1, 200)]
    open(f"{dst}/{seed}.h", 'wb').write(b)
PY
    mapfile -t muts < <(ls "$out/mut" | sort -n | sed "s|^|$out/mut/|")
    for ((s = 0; s < ${#muts[@]}; s += batch)); do
      part=("${muts[@]:s:batch}")
      set +e
      timeout $((10 * ${#part[@]})) nice -n 19 "$rgen" "${flags[@]}" --skip-unsupported --each "${part[@]}" >"$out/each.tsv" 2>/dev/null
      rc=$?
      set -e
      if [ $rc -ne 0 ] || [ "$(wc -l <"$out/each.tsv")" -ne ${#part[@]} ]; then
        # one died: each alone, with the 10 s bound
        for m in "${part[@]}"; do
          set +e; timeout 10 nice -n 19 "$rgen" "${flags[@]}" --skip-unsupported -o /dev/null "$m" >/dev/null 2>&1; mrc=$?; set -e
          if [ $mrc -ge 124 ]; then
            bad=$((bad + 1)); mkdir -p "$crashes"; cp "$m" "$crashes/$(echo "$h" | tr / _)-$(basename "$m")"
            echo "coverage: mutant $(basename "$m" .h) of $h: exit $mrc (kept in $crashes)" >&2
          fi
        done
      else
        while IFS=$'\t' read -r mrc ms m; do
          if [ "$ms" -gt "$slowest" ]; then slowest=$ms; slowname="mutant $(basename "$m" .h) of $h"; fi
          if [ "$ms" -gt 10000 ]; then
            bad=$((bad + 1)); mkdir -p "$crashes"; cp "$m" "$crashes/$(echo "$h" | tr / _)-$(basename "$m")"
            echo "coverage: mutant $(basename "$m" .h) of $h took $ms ms (kept in $crashes)" >&2
          fi
        done <"$out/each.tsv"
      fi
      n=$((n + ${#part[@]}))
    done
  done
  echo "$n mutated headers: $bad trapped or hung (the slowest took $slowest ms: $slowname)."
  [ $bad -eq 0 ] || failed=1
fi
exit $failed
