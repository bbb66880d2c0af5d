// The C++ benchmark client built by clang (label cpp.clang): the same source as
// the GCC build, with the flags BID gives g++ (bench/Makefile).
#define L4B_LANG "cpp.clang"
#include "../cpp-bench-client.cc"
