// An interface of this project's own with every argument kind l4swift-gen
// supports, for the wire tests: L4Re's C++ marshalling of it is recorded by
// scripts/wire-fixtures.sh, and the generated Swift is compared with it.
#pragma once

#include <l4/sys/capability>
#include <l4/sys/cxx/ipc_iface>
#include <l4/sys/cxx/ipc_string>
#include <l4/sys/cxx/ipc_array>
#include <l4/sys/cxx/ipc_ret_array>
#include <l4/sys/cxx/ipc_varg>

namespace Wire_test {

enum { Kinds_protocol = 0x7e01, Kinds_more_protocol = 0x7e02 };

/// A struct argument: C++ lays it out with padding (x at 0, y at 4, f at 8; 12 bytes aligned to 4).
struct Point
{
  l4_int16_t x;
  l4_int32_t y;
  bool f;
};

/// A C struct whose array length C computes with sizeof (as l4/re/event.h's __UNUM_B), and a class
/// deriving from it and from an empty helper (as L4Re::Event_stream_info): 8 + 6 + 2 + 3 * 8 = 40 bytes.
#define KINDS_NWORDS(bits) (((bits) + sizeof(unsigned long) * 8 - 1) / (sizeof(unsigned long) * 8))
typedef struct kinds_c_info_t
{
  l4_umword_t id;
  char name[6];
  l4_uint16_t bus;
  unsigned long bits[KINDS_NWORDS(130)];
} kinds_c_info_t;

class Bit_helper
{
protected:
  static unsigned word(unsigned i) { return i / (sizeof(unsigned long) * 8); }
};

class Stream_info : public kinds_c_info_t, private Bit_helper
{
public:
  bool bit(unsigned i) const { return bits[word(i)] >> (i % 64) & 1; }
};

struct Kinds : L4::Kobject_t<Kinds, L4::Kobject, Kinds_protocol,
                             L4::Type_info::Demand_t<2> >
{
  L4_INLINE_RPC(long, scalars, (bool f, l4_uint8_t u8, l4_int16_t s16, l4_uint32_t u32, l4_int64_t s64,
                                bool *nf, l4_uint16_t *u16));
  L4_INLINE_RPC(long, arrays, (L4::Ipc::Array<l4_uint16_t const> in,
                               L4::Ipc::Array_ref<l4_uint32_t, unsigned long> &out));
  L4_INLINE_RPC(long, strings, (L4::Ipc::String<> in, L4::Ipc::String<char> *out));
  L4_INLINE_RPC(long, optional, (l4_uint64_t first, L4::Ipc::Opt<l4_uint32_t> maybe,
                                 L4::Ipc::Opt<l4_umword_t &> back));
  L4_INLINE_RPC(long, caps, (L4::Ipc::Cap<void> a, L4::Ipc::Opt<L4::Ipc::Cap<void> > b, l4_uint32_t x));
  L4_INLINE_RPC(long, give, (L4::Ipc::Out<L4::Cap<void> > obj));
  L4_INLINE_RPC_OP(9, long, lookup, (L4::Ipc::Small_buf buf, L4::Ipc::Snd_fpage &fp),
                   L4::Ipc::Call_t<L4_CAP_FPAGE_W>);

  L4_INLINE_RPC(long, structs, (Point in, Point *out, L4::Ipc::In_out<Point *> io));
  L4_INLINE_RPC(long, window, (l4_uint32_t n, L4::Ipc::Rcv_fpage w, L4::Ipc::Snd_fpage &fp));
  L4_INLINE_RPC(long, note, (l4_uint32_t v), L4::Ipc::Send_only);
  L4_INLINE_RPC(long, points, (L4::Ipc::Array<Point const> in, L4::Ipc::Ret_array<Point> out));
  L4_INLINE_RPC(long, words, (l4_uint32_t n, L4::Ipc::Ret_array<l4_uint16_t> out));
  L4_INLINE_RPC(long, stream, (int idx, Stream_info *info));

  typedef L4::Typeid::Rpcs<scalars_t, arrays_t, strings_t, optional_t, caps_t, give_t, lookup_t,
                           structs_t, window_t, note_t, points_t, words_t, stream_t> Rpcs;
};

/// A derived interface: its server answers its own protocol and Kinds' (and the meta protocol names both).
struct Kinds_more : L4::Kobject_t<Kinds_more, Kinds, Kinds_more_protocol>
{
  L4_INLINE_RPC(long, extra, (l4_uint32_t a, l4_uint32_t *b));
  typedef L4::Typeid::Rpcs<extra_t> Rpcs;
};

/// A Varg list: declared as L4::Factory declares create (protocol L4_PROTO_FACTORY, no opcode, the S right).
/// marshal.cc records L4Re's own L4::Factory (L4::Factory::S, as Mem_alloc::alloc calls it) against it.
struct Factory : L4::Kobject_t<Factory, L4::Kobject, -15>
{
  L4_INLINE_RPC_NF(l4_msgtag_t, create, (L4::Ipc::Out<L4::Cap<void> > target, l4_mword_t obj,
                                         L4::Ipc::Varg const *args),
                   L4::Ipc::Call_t<L4_CAP_FPAGE_S>);
  typedef L4::Typeid::Rpc_nocode<create_t> Rpcs;
};

}
