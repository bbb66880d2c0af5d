// The interface of the first-task example (docs/l4swift-api.md): a writer
// allocates a dataspace, attaches it, writes a note into it and hands it to a
// reader, which attaches the same memory and reads the note back.
#pragma once

#include <l4/sys/capability>
#include <l4/sys/cxx/ipc_iface>
#include <l4/re/dataspace>

namespace L4swift {

enum { Notes_protocol = 0x5320 };

struct Notes : L4::Kobject_t<Notes, L4::Kobject, Notes_protocol,
                              L4::Type_info::Demand_t<1> >  // the reader receives one capability
{
  /// the reader attaches `ds`, reads `length` bytes of text from its start, logs
  /// them and answers their 32-bit FNV-1a hash (opcode 0)
  L4_INLINE_RPC(long, read, (L4::Ipc::Cap<L4Re::Dataspace> ds, l4_uint64_t length, l4_uint32_t *hash));

  typedef L4::Typeid::Rpcs<read_t> Rpcs;
};

}
