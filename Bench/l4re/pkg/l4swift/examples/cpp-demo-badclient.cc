// Sends malformed requests to a Demo server and checks that it answers with
// the error codes L4Re's C++ servers use, then that it still serves.
#include <l4/re/env>
#include <l4/sys/ipc.h>
#include <l4/sys/err.h>
#include <cstdio>

#include "demo.h"

static int failures;

static long raw_call(L4::Cap<void> gate, long label, unsigned words, unsigned items,
                     l4_umword_t const *mr)
{
  l4_utcb_t *u = l4_utcb();
  for (unsigned i = 0; i < words + 2 * items; ++i)
    l4_utcb_mr_u(u)->mr[i] = mr[i];
  l4_msgtag_t t = l4_ipc_call(gate.cap(), u, l4_msgtag(label, words, items, 0),
                              l4_timeout(L4_IPC_TIMEOUT_NEVER, l4_timeout_from_us(2000000)));
  if (l4_msgtag_has_error(t))
    return l4_ipc_to_errno(l4_ipc_error(t, u));
  return l4_msgtag_label(t);
}

static void expect(char const *what, long got, long want)
{
  printf("cpp-demo-badclient: %-40s -> %ld (want %ld) %s\n", what, got, want, got == want ? "ok" : "MISMATCH");
  if (got != want)
    ++failures;
}

int main()
{
  auto gate = L4Re::Env::env()->get_cap<void>("demo");
  long const P = L4swift::Demo_protocol;
  l4_umword_t mr[8] = {0};

  mr[0] = 99;
  expect("unknown opcode 99", raw_call(gate, P, 1, 0, mr), -L4_ENOSYS);
  mr[0] = 0;
  expect("another protocol", raw_call(gate, 0x1234, 3, 0, mr), -L4_EBADPROTO);
  expect("no words at all", raw_call(gate, P, 0, 0, mr), -L4_EMSGTOOSHORT);
  mr[0] = 0 | (5ul << 32);  // mix: opcode and a, but no b and c
  expect("mix without b and c", raw_call(gate, P, 1, 0, mr), -L4_EMSGTOOSHORT);
  mr[0] = 1; mr[1] = 1000;  // measure: a string of 1000 bytes in 3 words
  expect("string longer than the message", raw_call(gate, P, 3, 0, mr), -L4_EMSGTOOSHORT);
  mr[0] = 1; mr[1] = 0;     // measure: an empty string without its terminator
  expect("string of length 0", raw_call(gate, P, 2, 0, mr), -L4_EMSGTOOSHORT);
  mr[0] = 2;                // trigger: no capability item
  expect("trigger without a capability", raw_call(gate, P, 1, 0, mr), -L4_EMSGTOOSHORT);

  // Still serving: a good mix call.
  l4_int64_t r = 0;
  long e = L4::cap_cast<L4swift::Demo>(gate)->mix(6, 7, -2, &r);
  expect("good mix(6, 7, -2) after them", e ? e : r, 40);

  printf(failures ? "BADMSG FAIL\n" : "BADMSG PASS\n");
  return failures ? 1 : 0;
}
