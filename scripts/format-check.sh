#!/usr/bin/env bash
# The formatter's check for CI (swift-format, shipped with the toolchain as
# `swift format`; configuration in .swift-format):
#  1. every Swift source keeps the rules .swift-format enables (naming, doc
#     comments with ///, no force-unwrapped IUOs...: the rules the tree passes);
#  2. the files listed in .swift-format-strict are also in the formatter's own
#     layout (`swift format -i FILE` makes them so);
#     Their public declarations (in Sources/ and Tests/TestSupport) have doc comments;
#  3. no line is over 160 characters, except in the files listed in
#     scripts/format-long-lines.txt (the tree's remaining ones, to be shortened).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! swift format --version >/dev/null 2>&1; then
    echo "format-check: this toolchain has no swift-format (swift format): skipped"
    exit 0
fi
mapfile -t sources < <(find Sources Tests Plugins Bench -name '*.swift' -not -path '*/.build*' | sort; echo Package.swift)
status=0

# 1. The rules. The formatter's layout findings (indentation, spacing, line
#    breaks, line length) are left to step 2 for the files that opted in.
layout='\[(AddLines|EndOfLineComment|Indentation|LineLength|RemoveLine|Spacing|TrailingComma|TrailingWhitespace)\]'
rules=$(swift format lint --parallel "${sources[@]}" 2>&1 | grep -vE "$layout" || true)
if [ -n "$rules" ]; then
    echo "format-check: rule findings (.swift-format):"
    echo "$rules"
    status=1
fi

# 2. The formatter's layout, for the files that keep it.
mapfile -t strict < <(grep -v -e '^#' -e '^$' .swift-format-strict)
if ! swift format lint --strict "${strict[@]}"; then
    echo "format-check: a file of .swift-format-strict is not in swift-format's layout: run swift format -i on it"
    status=1
fi

# 2b. Doc comments on the public API of those files.
mapfile -t documented < <(printf '%s\n' "${strict[@]}" | grep -E '^(Sources/|Tests/TestSupport/)')
docconfig=$(mktemp)
trap 'rm -f "$docconfig"' EXIT
sed -E 's/("AllPublicDeclarationsHaveDocumentation" *: *)false/\1true/' .swift-format >"$docconfig"
grep -q '"AllPublicDeclarationsHaveDocumentation" *: *true' "$docconfig"
docs=$(swift format lint --configuration "$docconfig" "${documented[@]}" 2>&1 | grep -E 'AllPublicDeclarationsHaveDocumentation|error:' || true)
if [ -n "$docs" ]; then
    echo "format-check: public declarations without a doc comment:"
    echo "$docs"
    status=1
fi

# 3. Line length.
long=$(awk 'length($0) > 160 { print FILENAME ":" FNR ": " length($0) " characters" }' "${sources[@]}" \
       | grep -v -F -f <(grep -v -e '^#' -e '^$' scripts/format-long-lines.txt | sed 's/$/:/') || true)
if [ -n "$long" ]; then
    echo "format-check: lines over 160 characters:"
    echo "$long"
    status=1
fi
[ $status -eq 0 ] && echo "format-check: ${#sources[@]} Swift files keep the rules; ${#strict[@]} keep the formatter's layout; no new line over 160 characters"
exit $status
