#!/usr/bin/env bash
# What l4swift-gen makes of every header of an L4Re build that declares RPCs:
# for each interface, the RPCs that generate and the features the others would
# need (the table of docs/l4re-interfaces.md); the Swift of each header is
# type-checked against L4Wire. With MUTANTS=N, each header is also fed N times
# with bytes changed, and no run may trap (exit above 128) or take over 10 s.
#   scripts/l4re-interface-coverage.sh L4RE_OBJ [> table.md]
# L4RE_OBJ is an existing L4Re build directory (its include/ tree is read).
set -euo pipefail
obj=${1:?usage: scripts/l4re-interface-coverage.sh L4RE_BUILD_DIR}
cd "$(dirname "$0")/.."
inc="$obj/include"
[ -f "$inc/l4/sys/cxx/ipc_iface" ] || { echo "coverage: $inc/l4/sys/cxx/ipc_iface not found (an amd64 L4Re build directory?)" >&2; exit 2; }
swift build --product l4swift-gen >/dev/null
swift build --target L4Wire >/dev/null
bin=$(swift build --show-bin-path)
out=$(mktemp -d "${TMPDIR:-/tmp}/l4bench-iface-coverage.XXXXXX")
trap 'rm -rf "$out"' EXIT
# a copy: a rebuild of the checkout during a long run does not swap the binary under it
cp "$bin/l4swift-gen" "$out/l4swift-gen"
gen=$out/l4swift-gen
crashes=${CRASH_DIR:-${TMPDIR:-/tmp}/l4bench-iface-crashes}
flags=(-I "$inc/amd64" -I "$inc" --learn l4/re/protocols.h)

# headers that mention an RPC macro outside comments (BID installs them as links: -R follows them)
mapfile -t headers < <(cd "$inc" && grep -RlE '\bL4_(INLINE_)?RPC(_NF)?(_OP)?[[:space:]]*\(' l4 | sort)

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
  if "$gen" "${flags[@]}" --skip-unsupported --import L4Wire -o "$out/iface.swift" "$h" 2>/dev/null; then
    if ! swiftc -parse-as-library -I "$bin/Modules" -typecheck "$out/iface.swift" 2>"$out/tc.err"; then
      echo "coverage: $h: the generated Swift does not compile:" >&2; head -5 "$out/tc.err" >&2; failed=1
    fi
  fi
done
echo
echo "$ifaces interfaces in ${#headers[@]} headers; $full generate completely; $done_ of $total RPCs generate."

if [ -n "${MUTANTS:-}" ]; then
  n=0; bad=0
  for h in "${headers[@]}"; do
    for k in $(seq 1 "$MUTANTS"); do
      python3 - "$inc/$h" "$out/mutant.h" "$k" <<'PY'
import random, sys
src, dst, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
b = bytearray(open(src, 'rb').read())
r = random.Random(seed * 7919 + len(b))
alphabet = b'<>(),;{}*&:_=0x1aLF \n#"\'`\\/'
for _ in range(r.randint(1, 8)):
    i = r.randrange(len(b))
    op = r.randrange(3)
    if op == 0: b[i] = r.choice(alphabet)
    elif op == 1: del b[i:i + r.randint(1, 40)]
    else: b[i:i] = bytes(r.choice(alphabet) for _ in range(r.randint(1, 20)))
open(dst, 'wb').write(b)
PY
      set +e
      timeout 10 "$gen" "${flags[@]}" --skip-unsupported -o /dev/null "$out/mutant.h" >/dev/null 2>&1
      rc=$?
      set -e
      n=$((n + 1))
      if [ $rc -ge 124 ]; then
        bad=$((bad + 1)); mkdir -p "$crashes"; cp "$out/mutant.h" "$crashes/$(echo "$h" | tr / _)-$k.h"
        echo "coverage: mutant of $h (seed $k): exit $rc (kept in $crashes)" >&2
      fi
    done
  done
  echo "$n mutated headers: $bad trapped or hung."
  [ $bad -eq 0 ] || failed=1
fi
exit $failed
