// Records what L4Re's own C++ marshalling puts on the wire for the example
// and benchmark interfaces (demo.h, bench.h) and what an L4::Epiface server
// answers, including the meta protocol and malformed requests. Built on the
// host against an L4Re build's headers by scripts/wire-fixtures.sh; its output
// (cpp-wire.txt) is what Tests/L4WireTests compares the generated Swift with.
// No syscall runs: l4_ipc_call is replaced by a function that records the
// request and returns a canned reply.
#include <l4/sys/ipc.h>
#include <stdio.h>
#include <string.h>

static unsigned char utcb_mem[4096] __attribute__((aligned(4096)));
static l4_msgtag_t sent;
static l4_msgtag_t canned;
static l4_umword_t canned_mr[8];

static l4_msgtag_t record_call(l4_cap_idx_t, l4_utcb_t *u, l4_msgtag_t t, l4_timeout_t)
{
  sent = t;
  // print the request, then put the canned reply in place
  return t;
}
static l4_msgtag_t record_send(l4_cap_idx_t, l4_utcb_t *, l4_msgtag_t t, l4_timeout_t)
{
  sent = t;
  return l4_msgtag(0, 0, 0, 0);
}
#define l4_ipc_call record_call
#define l4_ipc_send record_send
#include <l4/sys/cxx/ipc_epiface>
#include "demo.h"
#include "bench.h"
#include "kinds.h"
#include "ctypes.h"
#include <l4/sys/factory>

// libl4sys defines L4::Kobject's (empty) type information; this program links no L4Re library.
L4::Type_info const L4::Kobject::__Kobject_typeid::_m = { 0, 0, 0, 0 };

static l4_utcb_t *u() { return reinterpret_cast<l4_utcb_t *>(utcb_mem); }
static l4_umword_t *mr() { return l4_utcb_mr_u(u())->mr; }

static void dump(char const *name, l4_msgtag_t t, char const *kind = "")
{
  unsigned words = t.words() + 2 * t.items();
  if (words > 63)
    words = 63;
  printf("%s%s label=%ld words=%u items=%u :", kind, name, (long)t.label(), t.words(), t.items());
  unsigned char const *b = reinterpret_cast<unsigned char const *>(mr());
  for (unsigned i = 0; i < words * 8; ++i)
    printf(" %02x", b[i]);
  printf("\n");
}

static void clear() { memset(utcb_mem, 0, sizeof(utcb_mem)); }

struct Demo_server : L4::Epiface_t<Demo_server, L4swift::Demo>
{
  long op_mix(L4swift::Demo::Rights, l4_int32_t a, l4_uint64_t b, l4_int8_t c, l4_int64_t &r)
  { r = (l4_int64_t)a * (l4_int64_t)b + c; return 0; }
  long op_measure(L4swift::Demo::Rights, L4::Ipc::String<> s, l4_uint32_t &len, l4_uint32_t &hash)
  { len = s.length - 1; hash = L4swift::fnv1a(s.data, s.length - 1); return 0; }
  long op_trigger(L4swift::Demo::Rights, L4::Ipc::Snd_fpage irq)
  { return irq.cap_received() ? 0 : -L4_EINVAL; }
  long op_sum_ds(L4swift::Demo::Rights, L4::Ipc::Snd_fpage ds, l4_uint64_t size, l4_uint64_t &sum)
  { sum = ds.cap_received() ? size * 2 : 0; return ds.cap_received() ? 0 : -L4_EINVAL; }
};

struct Bench_server : L4::Epiface_t<Bench_server, L4swift::Bench>
{
  long op_ping(L4swift::Bench::Rights, L4::Ipc::Array_ref<l4_uint64_t const, l4_umword_t> d, l4_uint64_t &sum)
  { sum = 0; for (unsigned i = 0; i < d.length; ++i) sum += d.data[i]; return 0; }
  long op_map_cap(L4swift::Bench::Rights, L4::Ipc::Snd_fpage c)
  { return c.cap_received() ? 0 : -L4_EINVAL; }
  long op_share(L4swift::Bench::Rights, L4::Ipc::Snd_fpage, l4_uint64_t size, l4_uint64_t &sum,
                l4_uint64_t &a, l4_uint64_t &t, l4_uint64_t &d)
  { sum = size + 1; a = 2; t = 3; d = 4; return 0; }
  long op_str(L4swift::Bench::Rights, L4::Ipc::String<> s, l4_uint64_t &length)
  { length = s.length - 1; return 0; }
};

struct Kinds_ops
{
  using R = Wire_test::Kinds::Rights;
  l4_uint32_t noted = 0;
  long op_structs(R, Wire_test::Point in, Wire_test::Point &out, Wire_test::Point &io)
  {
    out.x = in.x + 1; out.y = in.y * 2; out.f = !in.f;
    io.x += in.x; io.y -= in.y; io.f = in.f;
    return 0;
  }
  long op_window(R, l4_uint32_t n, L4::Ipc::Snd_fpage &fp)
  { fp = L4::Ipc::Snd_fpage::mem(0x200000 * n, L4_SUPERPAGESHIFT, L4_FPAGE_RW); return 0; }
  long op_note(R, l4_uint32_t v) { noted = v; return 0; }
  long op_points(R, L4::Ipc::Array_ref<Wire_test::Point const> in, L4::Ipc::Ret_array<Wire_test::Point> &out)
  {
    // out lies in the registers the request came in: take the input first
    Wire_test::Point tmp[8];
    memset(tmp, 0, sizeof(tmp));
    unsigned n = in.length < 8 ? in.length : 8;
    for (unsigned i = 0; i < n; ++i)
      { tmp[i].x = in.data[n - 1 - i].x; tmp[i].y = in.data[n - 1 - i].y + 1; tmp[i].f = !in.data[n - 1 - i].f; }
    for (unsigned i = 0; i < n; ++i)
      out.value[i] = tmp[i];
    return n;
  }
  long op_words(R, l4_uint32_t n, L4::Ipc::Ret_array<l4_uint16_t> &out)
  {
    for (unsigned i = 0; i < n && i < 100; ++i)
      out.value[i] = (l4_uint16_t)(i * 1000 + 1);
    return n < 100 ? n : 100;
  }

  long op_stream(R, int idx, Wire_test::Stream_info &info)
  {
    memset(&info, 0, sizeof(info));
    info.id = 0x1000 + idx;
    memcpy(info.name, "kbd", 4);
    info.bus = 0x11;
    info.bits[0] = 1UL << idx;
    info.bits[2] = 0x3;   // bits 128 and 129
    return 0;
  }
  long op_scalars(R, bool f, l4_uint8_t u8, l4_int16_t s16, l4_uint32_t u32, l4_int64_t s64, bool &nf, l4_uint16_t &u16)
  { nf = !f; u16 = (l4_uint16_t)(u8 + s16 + u32 + s64); return 0; }
  long op_arrays(R, L4::Ipc::Array_ref<l4_uint16_t const> in, L4::Ipc::Array_ref<l4_uint32_t, unsigned long> &out)
  {
    // out points into the same registers as in: read all of in first
    l4_uint32_t tmp[64];
    unsigned n = in.length < 64 ? in.length : 64;
    for (unsigned i = 0; i < n; ++i)
      tmp[i] = in.data[i] * 3u;
    for (unsigned i = 0; i < n; ++i)
      out.data[i] = tmp[i];
    out.length = n;
    return 0;
  }
  long op_strings(R, L4::Ipc::String<> in, L4::Ipc::String<char> &out)
  { out.copy_in(in.length > 1 && in.data[0] == 'p' ? "pong" : "?"); return in.length; }   // a code beside the output
  long op_optional(R, l4_uint64_t first, L4::Ipc::Opt<l4_uint32_t> maybe, L4::Ipc::Opt<l4_umword_t> &back)
  {
    if (maybe.is_valid())
      back = first + maybe.value();
    return 0;
  }
  long op_caps(R, L4::Ipc::Snd_fpage a, L4::Ipc::Opt<L4::Ipc::Snd_fpage> b, l4_uint32_t x)
  { return (a.cap_received() ? 1 : 0) + (b.is_valid() && b.value().cap_received() ? 2 : 0) + 4 * x; }
  long op_give(R, L4::Ipc::Cap<void> &obj)
  { obj = L4::Ipc::make_cap_rw(L4::Cap<void>(0x8000)); return 0; }
  long op_lookup(R, L4::Ipc::Snd_fpage &fp)
  { fp = L4::Ipc::Snd_fpage::obj(0x9000, 0, L4_CAP_FPAGE_RO); return 0; }
};

struct Kinds_server : L4::Epiface_t<Kinds_server, Wire_test::Kinds>, Kinds_ops {};

struct More_server : L4::Epiface_t<More_server, Wire_test::Kinds_more>, Kinds_ops
{
  long op_extra(Wire_test::Kinds_more::Rights, l4_uint32_t a, l4_uint32_t &b) { b = a * 7; return 0; }
};

// libc's types (ctypes.h): the server works on their bytes, whatever their fields.
template<typename T> static unsigned char *bytes(T &v) { return reinterpret_cast<unsigned char *>(&v); }
template<typename T> static unsigned char const *bytes(T const &v) { return reinterpret_cast<unsigned char const *>(&v); }
template<typename T> static void pattern(T &v, unsigned seed)
{ for (unsigned i = 0; i < sizeof(T); ++i) bytes(v)[i] = (unsigned char)(i * 7 + seed); }

struct C_types_server : L4::Epiface_t<C_types_server, Wire_test::C_types>
{
  using R = Wire_test::C_types::Rights;
  long op_action(R, int sig, struct sigaction const &act, struct sigaction &old)
  {
    struct sigaction tmp = act;   // old lies in the registers act came in
    for (unsigned i = 0; i < sizeof(tmp); ++i) bytes(tmp)[i] ^= (unsigned char)sig;
    old = tmp;
    return sig;
  }
  long op_mask(R, l4_uint8_t how, sigset_t const &set, sigset_t &io)
  {
    sigset_t tmp = io;
    for (unsigned i = 0; i < sizeof(tmp); ++i) bytes(tmp)[i] += (unsigned char)(bytes(set)[i] + how);
    io = tmp;
    return 0;
  }
  long op_itimer(R, l4_uint16_t which, struct itimerval const &v, struct itimerval &old)
  {
    struct itimerval tmp;
    for (unsigned i = 0; i < sizeof(tmp); ++i) bytes(tmp)[i] = bytes(v)[sizeof(tmp) - 1 - i];
    old = tmp;
    return which;
  }
  // the optional timer back reversed when one came, the code x + 1; x + 2 without (which never happens:
  // an Opt<> input the client left out reaches a C++ server as a valid, zeroed value)
  long op_maybe(R, l4_uint32_t x, L4::Ipc::Opt<struct itimerval> v, L4::Ipc::Opt<struct itimerval> &back)
  {
    if (!v.is_valid())
      return x + 2;
    struct itimerval in = v.value(), tmp;
    for (unsigned i = 0; i < sizeof(tmp); ++i) bytes(tmp)[i] = bytes(in)[sizeof(tmp) - 1 - i];
    back = tmp;
    return x + 1;
  }
  // by its fields: a copy of a struct need not keep its padding (a Swift copy does not)
  long op_altstack(R, stack_t const &ss)
  { return (long)(ss.ss_flags & 0xffff) + (long)(ss.ss_size & 0xffff) + (long)((l4_umword_t)ss.ss_sp & 0xffff); }
};

// An L4::Factory server (as moe's is for Mem_alloc::alloc): it reads the Varg list and returns a capability.
struct Factory_server : L4::Epiface_t<Factory_server, L4::Factory>
{
  long op_create(L4::Factory::Rights, L4::Ipc::Cap<void> &res, l4_mword_t type, L4::Ipc::Varg_list_ref args)
  {
    if (type == 0x44)
      return -L4_ENODEV;
    unsigned long h = type;
    long n = 0;
    for (L4::Ipc::Varg a : args)
      {
        ++n;
        h = h * 31 + a.type() + 7 * a.length();
        if (a.is_of<l4_mword_t>())
          h = h * 31 + (unsigned long)a.value<l4_mword_t>();
        else if (a.is_of<l4_umword_t>())
          h = h * 31 + a.value<l4_umword_t>();
        else if (a.is_of<l4_fpage_t>())
          h = h * 31 + a.value<l4_fpage_t>().raw;
        else if (a.is_of<char const *>())
          for (unsigned i = 0; i < a.length(); ++i)
            h = h * 31 + (unsigned char)a.value<char const *>()[i];
      }
    // what it read, told by the capability it returns (index n * 0x10000 + h mod 0x10000)
    res = L4::Ipc::make_cap_rw(L4::Cap<void>(((unsigned long)n << 16 | (h & 0xffff)) << L4_CAP_SHIFT));
    return 0;
  }
};

// The buffer registers a client set up for its call.
static void dump_buffers(char const *name)
{
  l4_buf_regs_t *b = l4_utcb_br_u(u());
  printf("buffers %s bdr=%lu :", name, (unsigned long)b->bdr);
  for (int i = 0; i < 3; ++i)
    printf(" %016lx", (unsigned long)b->br[i]);
  printf("\n");
}

// A request as the client wrote it, through the server; prints the reply.
template<typename S>
static void serve(S &s, char const *name, l4_msgtag_t req, unsigned rights = 3)
{
  dump(name, req, "request ");
  l4_msgtag_t r = s.dispatch(req, rights, u());
  dump(name, r);
}

// Marks the request's items as the kernel does for a received capability.
static void received(l4_msgtag_t t)
{
  for (unsigned i = 0; i < t.items(); ++i)
    mr()[t.words() + 2 * i] = (mr()[t.words() + 2 * i] & ~0x3eUL) | 0x38;
}

int main()
{
  using namespace L4swift;
  L4::Cap<Demo> demo(0x1000);
  L4::Cap<Bench> bench(0x1000);
  Demo_server ds;
  Bench_server bs;
  l4_int64_t r64; l4_uint32_t len, hash; l4_uint64_t sum, a, t, d;

  clear(); demo->mix(-7, 1000000007ULL, -3, &r64, u()); dump("client demo.mix", sent);
  serve(ds, "server demo.mix", sent);
  clear(); demo->mix(0x7fffffff, ~0ULL, 127, &r64, u()); dump("client demo.mix.max", sent);
  serve(ds, "server demo.mix.max", sent);

  clear(); demo->measure("capabilities, not ambient authority", &len, &hash, u()); dump("client demo.measure", sent);
  serve(ds, "server demo.measure", sent);
  clear(); demo->measure("", &len, &hash, u()); dump("client demo.measure.empty", sent);
  serve(ds, "server demo.measure.empty", sent);

  clear(); demo->trigger(L4::Ipc::make_cap_rws(L4::Cap<L4::Irq>(0x5000)), u()); dump("client demo.trigger", sent);
  received(sent); serve(ds, "server demo.trigger", sent);
  clear(); demo->sum_ds(L4::Ipc::make_cap_rw(L4::Cap<L4Re::Dataspace>(0x6000)), 65536, &sum, u()); dump("client demo.sum_ds", sent);
  received(sent); serve(ds, "server demo.sum_ds", sent);
  // the item is there but no capability came with it
  clear(); demo->sum_ds(L4::Ipc::make_cap_rw(L4::Cap<L4Re::Dataspace>(0x6000)), 65536, &sum, u());
  serve(ds, "server demo.sum_ds.nocap", sent);

  l4_uint64_t words[3] = { 5, 0x1122334455667788ULL, 1 };
  clear(); bench->ping(L4::Ipc::Array<l4_uint64_t const, l4_umword_t>(3, words), &sum, u()); dump("client bench.ping", sent);
  serve(bs, "server bench.ping", sent);
  clear(); bench->ping(L4::Ipc::Array<l4_uint64_t const, l4_umword_t>(0, words), &sum, u()); dump("client bench.ping.empty", sent);
  serve(bs, "server bench.ping.empty", sent);
  clear(); bench->map_cap(L4::Ipc::make_cap_rws(L4::Cap<void>(0x7000)), u()); dump("client bench.map_cap", sent);
  received(sent); serve(bs, "server bench.map_cap", sent);
  clear(); bench->share(L4::Ipc::make_cap_rw(L4::Cap<L4Re::Dataspace>(0x6000)), 1 << 20, &sum, &a, &t, &d, u()); dump("client bench.share", sent);
  received(sent); serve(bs, "server bench.share", sent);
  clear(); bench->str("a string of the ipc.str benchmark", &sum, u()); dump("client bench.str", sent);
  serve(bs, "server bench.str", sent);

  // every argument kind (kinds.h)
  L4::Cap<Wire_test::Kinds> kinds(0x1000);
  Kinds_server ks;
  bool nf; l4_uint16_t u16;
  clear(); kinds->scalars(true, 200, -300, 70000, -5000000000LL, &nf, &u16, u()); dump("client kinds.scalars", sent);
  serve(ks, "server kinds.scalars", sent);
  l4_uint16_t in16[5] = { 1, 2, 3, 65535, 7 };
  L4::Ipc::Array_ref<l4_uint32_t, unsigned long> out32;
  clear(); kinds->arrays(L4::Ipc::Array<l4_uint16_t const>(5, in16), out32, u()); dump("client kinds.arrays", sent);
  serve(ks, "server kinds.arrays", sent);
  char sbuf[32];
  L4::Ipc::String<char> sout(sizeof(sbuf), sbuf);
  clear(); kinds->strings("ping", &sout, u()); dump("client kinds.strings", sent);
  serve(ks, "server kinds.strings", sent);
  l4_umword_t back = 0;
  clear(); kinds->optional(40, L4::Ipc::Opt<l4_uint32_t>(2), back, u()); dump("client kinds.optional", sent);
  serve(ks, "server kinds.optional", sent);
  clear(); kinds->optional(40, L4::Ipc::Opt<l4_uint32_t>(), back, u()); dump("client kinds.optional.none", sent);
  serve(ks, "server kinds.optional.none", sent);
  clear(); kinds->caps(L4::Ipc::make_cap_rws(L4::Cap<void>(0x5000)), L4::Ipc::make_cap_rw(L4::Cap<void>(0x6000)), 3, u());
  dump("client kinds.caps", sent);
  received(sent); serve(ks, "server kinds.caps", sent);
  clear(); kinds->caps(L4::Ipc::make_cap_rws(L4::Cap<void>(0x5000)), L4::Ipc::Cap<void>(), 3, u());
  dump("client kinds.caps.one", sent);
  received(sent); serve(ks, "server kinds.caps.one", sent);
  clear(); kinds->give(L4::Cap<void>(0x7000), u()); dump("client kinds.give", sent); dump_buffers("kinds.give");
  serve(ks, "server kinds.give", sent);
  L4::Ipc::Snd_fpage fp;
  clear(); kinds->lookup(L4::Ipc::Small_buf(L4::Cap<void>(0x7000)), fp, u()); dump("client kinds.lookup", sent);
  dump_buffers("kinds.lookup");
  serve(ks, "server kinds.lookup", sent);
  clear(); kinds->lookup(L4::Ipc::Small_buf(L4::Cap<void>(0x7000)), fp, u());
  serve(ks, "server kinds.lookup.readonly", sent, 0);

  // structs, a receive window, a send-only RPC
  // zeroed first, so that the padding C++ copies is zero (as Swift writes it)
  Wire_test::Point pin, pout, pio;
  memset(&pin, 0, sizeof(pin)); memset(&pout, 0, sizeof(pout)); memset(&pio, 0, sizeof(pio));
  pin.x = -3; pin.y = 70000; pin.f = true;
  pio.x = 10; pio.y = 20; pio.f = false;
  clear(); kinds->structs(pin, &pout, &pio, u()); dump("client kinds.structs", sent);
  serve(ks, "server kinds.structs", sent);
  clear(); kinds->window(2, L4::Ipc::Rcv_fpage::mem(0x40000000, 28), fp, u()); dump("client kinds.window", sent);
  dump_buffers("kinds.window");
  serve(ks, "server kinds.window", sent);
  clear(); kinds->note(77, u()); dump("client kinds.note", sent);
  serve(ks, "server kinds.note", sent);
  {
    Wire_test::Point pts[3];
    memset(pts, 0, sizeof(pts));
    for (int i = 0; i < 3; ++i) { pts[i].x = (l4_int16_t)(i + 1); pts[i].y = 100 * (i + 1); pts[i].f = i == 1; }
    Wire_test::Point const *back;
    clear(); kinds->points(L4::Ipc::Array<Wire_test::Point const>(3, pts), &back, u()); dump("client kinds.points", sent);
    serve(ks, "server kinds.points", sent);
    l4_uint16_t const *w;
    clear(); kinds->words(5, &w, u()); dump("client kinds.words", sent);
    serve(ks, "server kinds.words", sent);
    Wire_test::Stream_info si;
    clear(); kinds->stream(5, &si, u()); dump("client kinds.stream", sent);
    serve(ks, "server kinds.stream", sent);
  }

  // libc's types, as C lays them out (ctypes.h): the sizes first, so that a reader sees which libc it was
  {
    printf("sizes ctypes sigaction=%zu/%zu sigset_t=%zu/%zu itimerval=%zu/%zu stack_t=%zu/%zu\n",
           sizeof(struct sigaction), alignof(struct sigaction), sizeof(sigset_t), alignof(sigset_t),
           sizeof(struct itimerval), alignof(struct itimerval), sizeof(stack_t), alignof(stack_t));
    L4::Cap<Wire_test::C_types> ct(0x1000);
    C_types_server cs;
    struct sigaction act, old;
    pattern(act, 1);
    clear(); ct->action(0x5a, &act, &old, u()); dump("client ctypes.action", sent);
    serve(cs, "server ctypes.action", sent);
    sigset_t set, io;
    pattern(set, 2); pattern(io, 3);
    clear(); ct->mask(9, &set, &io, u()); dump("client ctypes.mask", sent);
    serve(cs, "server ctypes.mask", sent);
    struct itimerval v, ov;
    pattern(v, 4);
    clear(); ct->itimer(3, &v, &ov, u()); dump("client ctypes.itimer", sent);
    serve(cs, "server ctypes.itimer", sent);
    stack_t ss;
    pattern(ss, 5);
    clear(); ct->altstack(&ss, u()); dump("client ctypes.altstack", sent);
    serve(cs, "server ctypes.altstack", sent);
    struct itimerval mv, mback;
    pattern(mv, 6);
    clear(); ct->maybe(7, mv, mback, u()); dump("client ctypes.maybe", sent);
    serve(cs, "server ctypes.maybe", sent);
    clear(); ct->maybe(7, L4::Ipc::Opt<struct itimerval>(), mback, u()); dump("client ctypes.maybe.none", sent);
    serve(cs, "server ctypes.maybe.none", sent);
  }

  // a derived interface: its own RPC, its base's through the same server, the meta protocol naming both
  L4::Cap<Wire_test::Kinds_more> more(0x1000);
  More_server ms;
  l4_uint32_t b32;
  clear(); more->extra(6, &b32, u()); dump("client more.extra", sent);
  serve(ms, "server more.extra", sent);
  clear(); kinds->scalars(true, 200, -300, 70000, -5000000000LL, &nf, &u16, u());
  serve(ms, "server more.kinds.scalars", sent);
  {
    L4::Cap<L4::Meta> meta(0x1000);
    long proto; char namebuf[64];
    L4::Ipc::String<char> name(sizeof(namebuf), namebuf);
    clear(); meta->num_interfaces(u()); serve(ms, "server more meta.num_interfaces", sent);
    clear(); meta->interface(0, &proto, &name, u()); serve(ms, "server more meta.interface0", sent);
    clear(); meta->interface(1, &proto, &name, u()); serve(ms, "server more meta.interface1", sent);
    clear(); meta->interface(2, &proto, &name, u()); serve(ms, "server more meta.interface2", sent);
    clear(); meta->supports(Wire_test::Kinds_protocol, u()); serve(ms, "server more meta.supports.base", sent);
    clear(); meta->supports(0x44, u()); serve(ms, "server more meta.supports.other", sent);
  }

  // L4::Factory::create with a Varg list: as Mem_alloc::alloc sends it (L4::Factory::S), with every Varg
  // kind, and through the RPC framework (L4_INLINE_RPC_NF with an L4::Ipc::Varg array)
  {
    L4::Cap<L4::Factory> f(0x1000);
    Factory_server fs;
    l4_msgtag_t r;
    clear(); r = f->create(L4::Cap<void>(0x7000), L4Re::Dataspace::Protocol, u())
                 << l4_mword_t(1 << 20) << l4_umword_t(3) << l4_umword_t(21);
    dump("client factory.create", sent); dump_buffers("factory.create");
    serve(fs, "server factory.create", sent);
    clear(); r = f->create(L4::Cap<void>(0x7000), L4Re::Dataspace::Protocol, u())
                 << l4_mword_t(-4096) << l4_umword_t(0x40) << l4_umword_t(12) << l4_umword_t(0x1000000);
    dump("client factory.create.paddr", sent);
    serve(fs, "server factory.create.paddr", sent);
    clear(); r = f->create(L4::Cap<void>(0x7000), 0x42, u())
                 << "name" << L4::Factory::Lstr("abcdefghij", 10) << l4_fpage(0x40000000, 21, L4_FPAGE_RW)
                 << "" << l4_mword_t(-5);
    dump("client factory.create.kinds", sent);
    serve(fs, "server factory.create.kinds", sent);
    clear(); r = f->create(L4::Cap<void>(0x7000), 0x42, u()) << l4_umword_t(1) << L4::Factory::Nil() << l4_umword_t(9);
    dump("client factory.create.nil", sent);
    serve(fs, "server factory.create.nil", sent);
    clear(); r = f->create(L4::Cap<void>(0x7000), 0x42, u());
    dump("client factory.create.none", sent);
    serve(fs, "server factory.create.none", sent);
    clear(); r = f->create(L4::Cap<void>(0x7000), 0x44, u()) << l4_umword_t(1);
    serve(fs, "server factory.create.refused", sent);
    clear(); r = f->create(L4::Cap<void>(0x7000), 0x42, u()) << l4_umword_t(1);
    serve(fs, "server factory.create.readonly", sent, 1);
    {
      L4::Ipc::Varg va[] = { L4::Ipc::Varg(l4_mword_t(1 << 20)), L4::Ipc::Varg("name"), L4::Ipc::Varg(l4_umword_t(21)),
                             L4::Ipc::Varg::nil() };
      clear(); L4::Factory::create_t::call(f, L4::Cap<void>(0x7000), 0x42, va, u());
      dump("client factory.create.rpc", sent); dump_buffers("factory.create.rpc");
      serve(fs, "server factory.create.rpc", sent);
    }
    // malformed: a value's bytes run past the message; a tag without its word
    clear(); mr()[0] = 0x42; mr()[1] = 0x81 | (16UL << 16); mr()[2] = 5;
    serve(fs, "server factory.bad.truncated", l4_msgtag(L4_PROTO_FACTORY, 3, 0, 0));
    clear(); mr()[0] = 0x42; mr()[1] = 0x81 | (8UL << 16); mr()[2] = 5; mr()[3] = 0x2 | (0x100000000UL << 16);
    serve(fs, "server factory.bad.hugelength", l4_msgtag(L4_PROTO_FACTORY, 4, 0, 0));
    clear();
    serve(fs, "server factory.bad.noobj", l4_msgtag(L4_PROTO_FACTORY, 0, 0, 0));
    (void)r;
  }

  // the meta protocol, as L4::cap_dynamic_cast and L4::Meta ask it
  L4::Cap<L4::Meta> meta(0x1000);
  long proto; char namebuf[64];
  L4::Ipc::String<char> name(sizeof(namebuf), namebuf);
  clear(); meta->num_interfaces(u()); dump("client meta.num_interfaces", sent);
  serve(ds, "server demo meta.num_interfaces", sent);
  clear(); meta->interface(0, &proto, &name, u()); dump("client meta.interface0", sent);
  serve(ds, "server demo meta.interface0", sent);
  clear(); meta->interface(1, &proto, &name, u());
  serve(ds, "server demo meta.interface1", sent);
  clear(); meta->supports(Demo_protocol, u()); dump("client meta.supports", sent);
  serve(ds, "server demo meta.supports.demo", sent);
  clear(); meta->supports(0x44, u());
  serve(ds, "server demo meta.supports.other", sent);
  clear(); meta->supports(0, u());
  serve(ds, "server demo meta.supports.zero", sent);
  clear(); meta->supports(L4_PROTO_META, u());
  serve(ds, "server demo meta.supports.meta", sent);

  // malformed requests
  clear(); mr()[0] = 9;
  serve(ds, "server demo.bad.opcode", l4_msgtag(Demo_protocol, 1, 0, 0));
  clear();
  serve(ds, "server demo.bad.proto", l4_msgtag(0x5302, 1, 0, 0));
  clear();
  serve(ds, "server demo.bad.noopcode", l4_msgtag(Demo_protocol, 0, 0, 0));
  clear(); mr()[0] = 0;
  serve(ds, "server demo.bad.mix.short", l4_msgtag(Demo_protocol, 2, 0, 0));
  clear(); mr()[0] = 1; mr()[1] = 400;
  serve(ds, "server demo.bad.measure.long", l4_msgtag(Demo_protocol, 3, 0, 0));
  clear(); mr()[0] = 1; mr()[1] = 0;
  serve(ds, "server demo.bad.measure.zero", l4_msgtag(Demo_protocol, 2, 0, 0));
  clear(); mr()[0] = 2;
  serve(ds, "server demo.bad.trigger.noitem", l4_msgtag(Demo_protocol, 1, 0, 0));
  clear(); mr()[0] = 0;
  serve(bs, "server bench.bad.ping.long", l4_msgtag(Bench_protocol, 63, 1, 0));
  clear(); mr()[0] = 0; mr()[1] = ~0UL;
  serve(bs, "server bench.bad.ping.huge", l4_msgtag(Bench_protocol, 2, 0, 0));
  clear(); mr()[0] = 0; mr()[1] = 1;
  serve(bs, "server bench.bad.ping.short", l4_msgtag(Bench_protocol, 2, 0, 0));
  return 0;
}
