#!/usr/bin/env bash
# Compile check of the Embedded Swift side without an L4Re build (for CI):
# the L4 library (Sources/L4Swift), the wire format (Sources/L4Wire) and every
# Swift program under Bench/l4re compile as Embedded Swift for
# x86_64-unknown-none-elf, against the declarations in cl4_standin.h. Nothing
# is linked or run; the real build is `l4bench run --target l4re`.
set -euo pipefail
cd "$(dirname "$0")/.."
cl4=Sources/L4Swift/CL4
out=${TMPDIR:-/tmp}/l4bench-embedded-check
mkdir -p "$out"

# The stand-in must declare exactly the functions the real seam defines.
real=$(grep -o 'CL4_INLINE [^(]*(' "$cl4/cl4.h" | grep -v 'static inline' | grep -o 'cl4_[a-z0-9_]*(' | tr -d '(' | sort)
standin=$(grep -o 'cl4_[a-z0-9_]*(' "$cl4/cl4_standin.h" | tr -d '(' | sort)
if [ "$real" != "$standin" ]; then
  echo "cl4_standin.h and cl4.h declare different functions:"
  diff <(echo "$real") <(echo "$standin") || true
  exit 1
fi

flags=(-target x86_64-unknown-none-elf -enable-experimental-feature Embedded -wmo -parse-as-library -O
       -Xfrontend -disable-stack-protector -I "$cl4" -Xcc -DCL4_STANDIN)
lib=(Sources/L4Wire/*.swift Sources/L4Swift/*.swift)
n=0
for prog in Bench/l4re/pkg/l4swift/*/*.swift; do
  name=$(basename "$prog" .swift)
  swiftc "${flags[@]}" -module-name "${name//-/_}" "${lib[@]}" "$prog" -c -o "$out/$name.o"
  echo "ok  $prog ($(stat -c %s "$out/$name.o") bytes of x86_64-unknown-none-elf code)"
  n=$((n + 1))
done
echo "embedded check: $n programs compiled"
