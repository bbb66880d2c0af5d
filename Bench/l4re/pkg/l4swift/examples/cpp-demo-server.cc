// C++ server of the Demo interface, the ordinary L4Re way (Epiface,
// Registry_server). Swift clients call it unchanged.
#include <l4/re/env>
#include <l4/re/rm>
#include <l4/re/dataspace>
#include <l4/re/util/object_registry>
#include <l4/re/util/br_manager>
#include <l4/sys/cxx/ipc_epiface>
#include <cstdio>

#include "demo.h"

static L4Re::Util::Registry_server<L4Re::Util::Br_manager_hooks> server;

struct Demo_server : L4::Epiface_t<Demo_server, L4swift::Demo>
{
  long op_mix(L4swift::Demo::Rights, l4_int32_t a, l4_uint64_t b, l4_int8_t c, l4_int64_t &result)
  {
    result = (l4_int64_t)a * (l4_int64_t)b + c;
    return 0;
  }

  long op_measure(L4swift::Demo::Rights, L4::Ipc::String<> s, l4_uint32_t &length, l4_uint32_t &hash)
  {
    unsigned long n = 0;
    while (n + 1 < s.length && s.data[n])
      ++n;
    length = n;
    hash = L4swift::fnv1a(s.data, n);
    return 0;
  }

  long op_trigger(L4swift::Demo::Rights, L4::Ipc::Snd_fpage fp)
  {
    if (!fp.cap_received())
      return -L4_EINVAL;
    L4::Cap<L4::Irq> irq = server_iface()->rcv_cap<L4::Irq>(0);
    // A trigger is a send: only an IPC error counts (its label is the IRQ protocol).
    long r = l4_ipc_error(irq->trigger(), l4_utcb()) ? -L4_EIO : 0;
    L4Re::Env::env()->task()->unmap(irq.fpage(), L4_FP_ALL_SPACES);
    return r;
  }

  long op_sum_ds(L4swift::Demo::Rights, L4::Ipc::Snd_fpage fp, l4_uint64_t size, l4_uint64_t &sum)
  {
    if (!fp.cap_received())
      return -L4_EINVAL;
    L4::Cap<L4Re::Dataspace> ds = server_iface()->rcv_cap<L4Re::Dataspace>(0);
    l4_uint64_t *p = nullptr;
    long r = L4Re::Env::env()->rm()->attach(&p, size, L4Re::Rm::F::Search_addr | L4Re::Rm::F::RW,
                                            L4::Ipc::make_cap_rw(ds));
    if (r >= 0)
      {
        sum = 0;
        for (unsigned long i = 0; i < size / sizeof(l4_uint64_t); ++i)
          sum += p[i];
        L4Re::Env::env()->rm()->detach(p, nullptr);
      }
    L4Re::Env::env()->task()->unmap(ds.fpage(), L4_FP_ALL_SPACES);
    return r < 0 ? r : 0;
  }
};

int main()
{
  static Demo_server demo;
  if (!server.registry()->register_obj(&demo, "demo").is_valid())
    {
      printf("cpp-demo-server: no 'demo' capability to serve\n");
      return 1;
    }
  printf("cpp-demo-server: ready\n");
  server.loop();
}
