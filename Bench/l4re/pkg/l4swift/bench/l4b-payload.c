/*
 * The payload work of the benchmarks, one object for every peer: the servers'
 * sum of the words they receive (ipc.roundtrip, ipc.rpc). It is compiled once,
 * by BID's C compiler, and linked into the C++ (GCC and clang) and the Swift
 * programs alike, so that the payload loop is the same machine code whichever
 * language or compiler the peer is in: what differs between pairs is then the
 * IPC, the marshalling and the dispatch, which the benchmarks name.
 * (Compiled in each language, GCC's loop took 4 instructions a word, LLVM's
 * unrolled one about 1.4: 141 instructions of the words=63 difference.)
 */
#include "l4bench_rt.h"

l4_uint64_t l4b_sum_words(l4_uint64_t const *p, unsigned long n)
{
  l4_uint64_t s = 0;
  for (unsigned long i = 0; i < n; ++i)
    s += p[i];
  return s;
}
