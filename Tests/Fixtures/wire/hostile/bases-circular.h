struct L1;
struct L2 : L4::Kobject_t<L2, L1, 2> { L4_INLINE_RPC(long, h, (long a)); typedef L4::Typeid::Rpcs<h_t> Rpcs; };
struct L1 : L4::Kobject_t<L1, L2, 1> { L4_INLINE_RPC(long, g, (long a)); typedef L4::Typeid::Rpcs<g_t> Rpcs; };
