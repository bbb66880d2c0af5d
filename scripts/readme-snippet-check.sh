#!/usr/bin/env bash
# Checks README.md's L4Re package snippet as a reader uses it: its Makefile
# block (the one that includes swift.mk) is written, exactly as it stands, into
# calc/Makefile of a fresh directory outside this repository, next to the
# sources it names, and the README's make command runs there against an
# existing L4Re build (with /path/to/l4bench read as this checkout). The
# README shows calc.h and the server abridged; the complete files come from
# docs/l4re-interfaces.md, the walkthrough of the same package. Nothing boots.
#
#   scripts/readme-snippet-check.sh L4RE_OBJ
#
# Exit codes: 0 the snippet builds calc-server, 1 it does not (the build log's
# end is printed), 2 usage, 3 L4RE_OBJ is not an L4Re build directory, 4 the
# README has no such snippet (or no make command for it).
set -euo pipefail
obj=${1:-${L4RE_OBJ:-}}
[ -n "$obj" ] || { echo "usage: scripts/readme-snippet-check.sh L4RE_BUILD_DIR" >&2; exit 2; }
obj=$(cd "$obj" 2>/dev/null && pwd) || { echo "readme-snippet-check: no directory '$1'" >&2; exit 3; }
[ -e "$obj/source/mk/prog.mk" ] || { echo "readme-snippet-check: $obj is not an L4Re build directory (no source/mk/prog.mk)" >&2; exit 3; }
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/l4bench-readme-snippet.XXXXXX")
mkdir -p "$work/calc"

# The README's ```make block that includes swift.mk, and the ```sh make command after it.
awk -v out="$work/calc/Makefile" '
  /^```make$/ { inblock = 1; text = ""; next }
  /^```/ && inblock { inblock = 0; if (text ~ /swift\.mk/) { printf "%s", text > out; found = 1 }; next }
  inblock { text = text $0 "\n" }
  END { exit found ? 0 : 1 }' README.md || { echo "readme-snippet-check: README.md has no make block including swift.mk"; exit 4; }
cmd=$(awk '/^```make$/ {m = 1} m && /^make -C / {print; exit}' README.md)
[ -n "$cmd" ] || { echo "readme-snippet-check: README.md has no 'make -C' command after its make block"; exit 4; }

# The sources the snippet names, complete, from the walkthrough page.
scripts/lib/extract-doc-files.sh docs/l4re-interfaces.md "$work/doc" 2>/dev/null
cp "$work/doc/calc/calc.h" "$work/doc/calc/server.swift" "$work/calc/"
echo "readme-snippet-check: README's Makefile in $work/calc; running: $cmd"

# The command as written; $L4RE_OBJ and the placeholder checkout path are the reader's.
cmd=${cmd//\/path\/to\/l4bench/$root}
if (cd "$work" && L4RE_OBJ="$obj" bash -c "$cmd" > "$work/build.log" 2>&1); then
  prog=$(find "$obj/bin" -name calc-server -not -path "*/.debug/*" -newer "$work/calc/Makefile" 2>/dev/null | head -1)
  if [ -n "$prog" ]; then echo "ok    README snippet builds calc-server ($prog)"; exit 0; fi
  echo "FAIL  README snippet: make succeeded but built no calc-server"; tail -20 "$work/build.log"; exit 1
fi
echo "FAIL  README snippet does not build (log: $work/build.log):"
tail -20 "$work/build.log"
exit 1
