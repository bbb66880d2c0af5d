#!/usr/bin/env bash
# Records L4Re's own C++ marshalling of the example and benchmark interfaces
# (demo.h, bench.h, kinds.h, L4::Meta, L4::Factory's Varg lists) into
# Tests/Fixtures/wire/cpp-wire.txt, which the host tests compare the generated
# Swift with byte for byte; then checks kinds.h's struct layouts as C++ static_asserts.
#   scripts/wire-fixtures.sh L4RE_OBJ
# L4RE_OBJ is an existing L4Re build directory (its include/ tree is used);
# the program is compiled for and run on this host, no L4Re code is copied.
set -euo pipefail
obj=${1:?usage: scripts/wire-fixtures.sh L4RE_BUILD_DIR}
cd "$(dirname "$0")/.."
inc="$obj/include"
[ -f "$inc/l4/sys/cxx/ipc_iface" ] || { echo "wire-fixtures: $inc/l4/sys/cxx/ipc_iface not found (an amd64 L4Re build directory?)" >&2; exit 2; }
out=${TMPDIR:-/tmp}/l4bench-wire-fixtures
mkdir -p "$out"
${CXX:-g++} -std=gnu++20 -fno-exceptions -D__L4 \
  -I Bench/l4re/pkg/l4swift/include -I Sources/CL4BenchProto/include -I "$inc/amd64/l4f" -I "$inc/amd64" -I "$inc/l4f" -I "$inc" \
  Tests/Fixtures/wire/marshal.cc -o "$out/marshal"
{
  echo "# L4Re C++ marshalling, recorded by scripts/wire-fixtures.sh from $(basename "$obj")"
  echo "# l4re-core $(git -C "$obj/source/pkg/l4re-core" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  "$out/marshal"
} > Tests/Fixtures/wire/cpp-wire.txt
echo "wire-fixtures: $(grep -c '^[a-z]' Tests/Fixtures/wire/cpp-wire.txt) lines in Tests/Fixtures/wire/cpp-wire.txt"
# the struct layouts l4swift-gen computes for kinds.h, as static_asserts compiled with the same headers
swift build --product l4swift-gen >/dev/null
"$(swift build --show-bin-path)/l4swift-gen" --layout-asserts Tests/Fixtures/wire/kinds.h >"$out/kinds-layout.cc"
${CXX:-g++} -std=gnu++20 -fsyntax-only -Wno-invalid-offsetof -D__L4 \
  -I "$inc/amd64/l4f" -I "$inc/amd64" -I "$inc/l4f" -I "$inc" "$out/kinds-layout.cc"
echo "wire-fixtures: $(grep -c '^static_assert' "$out/kinds-layout.cc") layout facts of kinds.h's structs hold in C++"
