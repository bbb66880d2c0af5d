// NUMA placement without a build-time dependency: libnuma is loaded at run
// time (dlopen "libnuma.so.1"); without it, the kernel's own interfaces do
// the same work (the topology in /sys/devices/system/node is read by the
// Swift side, memory is bound with the mbind system call).
#ifndef L4B_NUMA_SEAM_H
#define L4B_NUMA_SEAM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __linux__
/// Loads libnuma (once; later calls return the first answer). Returns 1 when
/// libnuma is loaded and numa_available() says yes, 0 otherwise.
int l4b_numa_open(void);
/// The node of `cpu` from libnuma, or -1 (not loaded, or libnuma does not know).
int l4b_numa_node_of_cpu(int cpu);
/// The node of `cpu` from /sys/devices/system/node/nodeN/cpuC under `root`
/// (normally "/sys/devices/system/node"), or -1 when no node lists it.
int l4b_sysfs_node_of_cpu(const char *root, int cpu);
/// Binds [addr, addr+len) to `node`: through libnuma when `use_libnuma` and it
/// is loaded, else through mbind(2). Returns 0 or -errno.
int l4b_numa_bind_memory(void *addr, size_t len, int node, int use_libnuma);

#endif  // __linux__

#ifdef __cplusplus
}
#endif
#endif
