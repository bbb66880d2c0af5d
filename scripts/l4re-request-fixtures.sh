#!/usr/bin/env bash
# Records what L4Re's own C++ sends for the calls L4Swift makes to L4Re's
# services (Tests/Fixtures/l4re-requests/record.cc, built on this host against
# an L4Re build's headers and l4re-core's client implementations) into
# Tests/Fixtures/l4re-requests/cpp-requests.txt, which Tests/L4SwiftServicesTests
# compares L4Swift's requests with byte for byte. Then checks that the
# stand-in header CI generates L4Swift's clients from
# (Sources/L4Swift/CL4/l4re_ifaces_standin.h) gives the same client methods as
# L4Re's headers for every RPC L4Swift calls.
#   scripts/l4re-request-fixtures.sh L4RE_OBJ
# Exit codes: 0 recorded and the stand-in agrees, 1 the stand-in differs,
# 2 usage or not an L4Re build directory, 3 no C++ compiler.
set -euo pipefail
obj=${1:?usage: scripts/l4re-request-fixtures.sh L4RE_BUILD_DIR}
cd "$(dirname "$0")/.."
inc="$obj/include"
[ -f "$inc/l4/re/impl/rm_impl.h" ] || { echo "l4re-request-fixtures: $inc/l4/re/impl/rm_impl.h not found (an amd64 L4Re build directory?)" >&2; exit 2; }
cxx=${CXX:-g++}
command -v "$cxx" >/dev/null || { echo "l4re-request-fixtures: no C++ compiler ($cxx)" >&2; exit 3; }
out=${TMPDIR:-/tmp}/l4bench-l4re-requests
mkdir -p "$out"
"$cxx" -std=gnu++20 -fno-exceptions -D__L4 -w \
  -I "$inc/amd64/l4f" -I "$inc/amd64" -I "$inc/l4f" -I "$inc" \
  Tests/Fixtures/l4re-requests/record.cc -o "$out/record"
fixture=Tests/Fixtures/l4re-requests/cpp-requests.txt
{
  echo "# L4Re C++ requests, recorded by scripts/l4re-request-fixtures.sh from $(basename "$obj")"
  echo "# l4re-core $(git -C "$obj/source/pkg/l4re-core" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  "$out/record"
} > "$fixture"
echo "l4re-request-fixtures: $(grep -c '#[0-9]* dest=' "$fixture") requests in $fixture"

# The stand-in against L4Re's headers: each client method L4Swift calls, as generated from both.
swift build -c release --product l4swift-gen >/dev/null
gen=$(swift build -c release --show-bin-path)/l4swift-gen
headers=(l4/re/dataspace l4/re/rm l4/sys/factory l4/sys/rcv_endpoint l4/sys/scheduler)
block() {  # the text of one declaration: its doc line (`NAME`) to the brace that closes it
  awk -v m="$2" 'index($0, "/// `" m "`") && !p {p=1; match($0, /^ */); ind=substr($0, 1, RLENGTH)}
                 p {print} p && $0 == ind "}" {exit}' "$1"
}
status=0
# each interface alone: its client methods L4Swift calls (by RPC name) and the structs they send or get
for entry in Dataspace:info,L4Re::Dataspace::Stats,L4Re::Dataspace::Flags Rm:attach,detach,L4Re::Rm::F::Flags \
             Factory:create Rcv_endpoint:bind_thread Scheduler:info,run_thread,l4_sched_param_t,l4_sched_cpu_set_t; do
  iface=${entry%%:*}
  "$gen" -I "$inc" --namespaces --only "$iface" -o "$out/real.swift" "${headers[@]}" 2>/dev/null
  "$gen" --namespaces --only "$iface" -o "$out/standin.swift" Sources/L4Swift/CL4/l4re_ifaces_standin.h 2>/dev/null
  IFS=, read -ra names <<< "${entry#*:}"
  for m in "${names[@]}"; do
    a=$(block "$out/real.swift" "$m"); b=$(block "$out/standin.swift" "$m")
    if [ -z "$a" ]; then echo "l4re-request-fixtures: $iface '$m' not generated from L4Re's headers"; status=1
    elif [ "$a" != "$b" ]; then echo "l4re-request-fixtures: the stand-in's $iface '$m' differs from L4Re's:"; diff <(echo "$a") <(echo "$b") || true; status=1
    else echo "ok  $iface $m: the stand-in and L4Re's headers give the same $(echo "$a" | wc -l) lines"; fi
  done
done
exit $status
