#!/usr/bin/env bash
# Writes the code blocks of a Markdown page that name a file (```lang file=PATH)
# under DIR, as they stand in the page: what a reader would copy.
#   scripts/lib/extract-doc-files.sh DOC.md DIR
set -euo pipefail
doc=${1:?usage: extract-doc-files.sh DOC.md DIR}
dir=${2:?usage: extract-doc-files.sh DOC.md DIR}
awk -v dir="$dir" '
  /^```[a-z+]* file=/ { match($0, /file=[^ ]+/); path = dir "/" substr($0, RSTART + 5, RLENGTH - 5);
                        sub(/\/[^\/]*$/, "", path); system("mkdir -p \"" path "\"");
                        out = dir "/" substr($0, RSTART + 5, RLENGTH - 5); printf "" > out; inblock = 1; next }
  /^```/ && inblock   { close(out); inblock = 0; n++; next }
  inblock             { print >> out }
  END                 { if (inblock) { print "unterminated block in the page" > "/dev/stderr"; exit 1 }
                        print n " files" > "/dev/stderr" }
' "$doc"
