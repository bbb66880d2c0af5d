# What Swift needs to import CL4 (Sources/L4Swift/CL4) over an L4Re build's own
# headers, uclibc-ng's libc among them, for x86_64-unknown-none-elf: for
# scripts/embedded-check.sh and scripts/l4re-interface-coverage.sh (sourced).
#
#   cl4_real_flags L4RE_INCLUDE_DIR    (prints one flag a line)
cl4_real_flags() {
  local inc=$1
  printf '%s\n' -I Sources/L4Swift/CL4 -Xcc -nostdlibinc -Xcc -D__L4 -Xcc "-I$inc/uclibc-ng" -Xcc "-I$inc/amd64/l4f" \
    -Xcc "-I$inc/amd64" -Xcc "-I$inc/l4f" -Xcc "-I$inc"
}
