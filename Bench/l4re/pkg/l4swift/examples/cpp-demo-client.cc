// C++ client of the Demo interface through L4_INLINE_RPC. Swift servers
// answer it unchanged.
#include <l4/re/env>
#include <l4/re/rm>
#include <l4/re/dataspace>
#include <l4/re/util/cap_alloc>
#include <l4/sys/factory>
#include <l4/sys/irq>
#include <l4/sys/meta>
#include <cstdio>
#include <cstring>

#include "demo.h"

static int failures;

static void check(bool ok, char const *what, long long got, long long want)
{
  printf("cpp-demo-client: %s = %lld (want %lld) %s\n", what, got, want, ok ? "ok" : "MISMATCH");
  if (!ok)
    ++failures;
}

int main()
{
  auto env = L4Re::Env::env();
  auto demo = env->get_cap<L4swift::Demo>("demo");
  if (!demo.is_valid())
    {
      printf("cpp-demo-client: no 'demo' capability\nDEMO FAIL\n");
      return 1;
    }

  // L4Re's meta protocol, as L4::cap_dynamic_cast and L4::Meta ask it: a
  // Swift server answers it like L4::Epiface does
  L4::Cap<L4::Kobject> untyped(demo.cap());
  auto typed = L4::cap_dynamic_cast<L4swift::Demo>(untyped);
  check(typed.is_valid(), "cap_dynamic_cast<Demo> is valid", typed.is_valid(), 1);
  auto not_irq = L4::cap_dynamic_cast<L4::Irq>(untyped);
  check(!not_irq.is_valid(), "cap_dynamic_cast<Irq> is invalid", not_irq.is_valid(), 0);
  auto meta = L4::cap_reinterpret_cast<L4::Meta>(demo);
  long n = l4_error(meta->num_interfaces());
  check(n == 1, "Meta::num_interfaces", n, 1);
  long proto = 0;
  char buf[64] = "";
  L4::Ipc::String<char> name(sizeof(buf), buf);
  long me = l4_error(meta->interface(0, &proto, &name));
  check(me == 0 && proto == L4swift::Demo_protocol, "Meta::interface(0) protocol", me ? me : proto, L4swift::Demo_protocol);
  printf("cpp-demo-client: Meta::interface(0) name '%s'\n", name.data);
  check(strcmp(name.data, "N7L4swift4DemoE") == 0, "Meta::interface(0) name is typeid(Demo).name()", strcmp(name.data, "N7L4swift4DemoE"), 0);
  long bad = l4_error(meta->interface(1, &proto, &name));
  check(bad == -L4_ERANGE, "Meta::interface(1)", bad, -L4_ERANGE);
  long s1 = l4_error(meta->supports(L4swift::Demo_protocol)), s2 = l4_error(meta->supports(0x44));
  check(s1 == 1 && s2 == 0, "Meta::supports(Demo), supports(0x44)", s1 * 10 + s2, 10);

  // integers
  l4_int64_t r = 0;
  long e = demo->mix(-7, 1000000007ull, -3, &r);
  check(e == 0 && r == -7000000052ll, "mix(-7, 1000000007, -3)", e ? e : r, -7000000052ll);

  // a string
  char const *text = "capabilities, not ambient authority";
  l4_uint32_t len = 0, hash = 0;
  e = demo->measure(text, &len, &hash);
  check(e == 0 && len == strlen(text), "measure length", e ? e : len, strlen(text));
  check(e == 0 && hash == L4swift::fnv1a(text, strlen(text)), "measure fnv1a", hash, L4swift::fnv1a(text, strlen(text)));

  // a capability: an IRQ the server triggers, which we then receive
  auto irq = L4Re::Util::cap_alloc.alloc<L4::Irq>();
  long ok = l4_error(env->factory()->create(irq));
  if (ok >= 0)
    ok = l4_error(irq->bind_thread(env->main_thread(), 0x1a0));
  if (ok >= 0)
    ok = demo->trigger(L4::Ipc::make_cap_rws(irq));
  if (ok >= 0)
    ok = l4_ipc_error(irq->receive(l4_timeout(L4_IPC_TIMEOUT_NEVER, l4_timeout_from_us(2000000))), l4_utcb()) ? -1 : 0;
  check(ok == 0, "irq triggered by the server", ok, 0);

  // a dataspace: 64 KiB of words the server sums
  unsigned long const size = 64 << 10;
  auto ds = L4Re::Util::cap_alloc.alloc<L4Re::Dataspace>();
  l4_uint64_t *p = nullptr;
  l4_uint64_t want = 0, sum = 0;
  ok = env->mem_alloc()->alloc(size, ds);
  if (ok >= 0)
    ok = env->rm()->attach(&p, size, L4Re::Rm::F::Search_addr | L4Re::Rm::F::RW, L4::Ipc::make_cap_rw(ds));
  if (ok >= 0)
    {
      for (unsigned long i = 0; i < size / 8; ++i)
        want += (p[i] = i * 3 + 1);
      ok = demo->sum_ds(L4::Ipc::make_cap_rw(ds), size, &sum);
    }
  check(ok == 0 && sum == want, "sum_ds over 64 KiB", ok ? ok : (long long)sum, (long long)want);

  printf(failures ? "DEMO FAIL\n" : "DEMO PASS\n");
  return failures ? 1 : 0;
}
