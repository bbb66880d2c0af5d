// A C++ client of L4Re::Namespace, through L4Re's own library code
// (L4Re::Namespace::query), against a namespace served by a Swift program.
#include <l4/re/env>
#include <l4/re/namespace>
#include <l4/re/rm>
#include <l4/re/dataspace>
#include <l4/re/util/cap_alloc>
#include <cstdio>
#include <cstring>

static int failures;

static void check(bool ok, char const *what, long got)
{
  printf("cpp-ns-client: %s = %ld %s\n", what, got, ok ? "ok" : "MISMATCH");
  if (!ok)
    ++failures;
}

int main()
{
  auto env = L4Re::Env::env();
  auto any = env->get_cap<L4::Kobject>("names");
  auto ns = L4::cap_dynamic_cast<L4Re::Namespace>(any);
  check(ns.is_valid(), "cap_dynamic_cast<L4Re::Namespace> is valid", ns.is_valid());
  if (!ns.is_valid())
    {
      printf("NAMESPACE FAIL\n");
      return 1;
    }

  auto ds = L4Re::Util::cap_alloc.alloc<L4Re::Dataspace>();
  long r = ns->query("greeting", ds);
  check(r >= 0, "Namespace::query(\"greeting\")", r);
  char *p = nullptr;
  long a = env->rm()->attach(&p, 4096, L4Re::Rm::F::Search_addr | L4Re::Rm::F::R, L4::Ipc::make_cap_rw(ds));
  check(a >= 0, "attach the dataspace it returned", a);
  if (a >= 0)
    {
      printf("cpp-ns-client: the dataspace says '%s'\n", p);
      check(strcmp(p, "hello from a Swift L4Re::Namespace server") == 0, "the text is the server's", 0);
    }

  // a name resolved in two steps: "again/" to the namespace itself, then the rest
  auto ds2 = L4Re::Util::cap_alloc.alloc<L4Re::Dataspace>();
  long r2 = ns->query("again/greeting", ds2);
  check(r2 >= 0, "Namespace::query(\"again/greeting\")", r2);
  char *p2 = nullptr;
  long a2 = env->rm()->attach(&p2, 4096, L4Re::Rm::F::Search_addr | L4Re::Rm::F::R, L4::Ipc::make_cap_rw(ds2));
  check(a2 >= 0 && strcmp(p2, "hello from a Swift L4Re::Namespace server") == 0, "the same text through it", a2);

  auto other = L4Re::Util::cap_alloc.alloc<L4::Kobject>();
  long missing = ns->query("nothing", other, 0);   // no retries
  check(missing == -L4_ENOENT, "Namespace::query(\"nothing\")", missing);
  long reg = ns->register_obj("x", L4::Ipc::make_cap_rw(ds));
  check(reg == -L4_EPERM, "Namespace::register_obj", reg);

  printf(failures ? "NAMESPACE FAIL\n" : "NAMESPACE PASS\n");
  return failures ? 1 : 0;
}
