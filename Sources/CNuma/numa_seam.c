#ifdef __linux__  // NUMA placement is the Linux backend's; elsewhere this target is empty
#define _GNU_SOURCE
#include "numa_seam.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static int (*p_numa_available)(void);
static int (*p_numa_node_of_cpu)(int);
static void (*p_numa_tonode_memory)(void *, size_t, int);
static int loaded = -1;

int l4b_numa_open(void) {
    if (loaded >= 0) return loaded;
    loaded = 0;
    void *h = dlopen("libnuma.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!h) return 0;
    p_numa_available = (int (*)(void))dlsym(h, "numa_available");
    p_numa_node_of_cpu = (int (*)(int))dlsym(h, "numa_node_of_cpu");
    p_numa_tonode_memory = (void (*)(void *, size_t, int))dlsym(h, "numa_tonode_memory");
    if (!p_numa_available || !p_numa_node_of_cpu || !p_numa_tonode_memory || p_numa_available() < 0) {
        dlclose(h);
        p_numa_available = 0; p_numa_node_of_cpu = 0; p_numa_tonode_memory = 0;
        return 0;
    }
    loaded = 1;
    return 1;
}

int l4b_numa_node_of_cpu(int cpu) {
    return loaded == 1 ? p_numa_node_of_cpu(cpu) : -1;
}

int l4b_numa_bind_memory(void *addr, size_t len, int node, int use_libnuma) {
    if (node < 0 || node >= 1024) return -EINVAL;
    if (use_libnuma && loaded == 1) { p_numa_tonode_memory(addr, len, node); return 0; }
    // MPOL_BIND (2) with a node mask of 1024 bits.
    unsigned long mask[1024 / (8 * sizeof(unsigned long))] = {0};
    mask[node / (8 * sizeof(unsigned long))] |= 1UL << (node % (8 * sizeof(unsigned long)));
    long r = syscall(SYS_mbind, addr, len, 2, mask, 1024UL + 1, 0);
    return r == 0 ? 0 : -errno;
}

int l4b_sysfs_node_of_cpu(const char *root, int cpu) {
    char path[512];
    for (int node = 0; node < 1024; node++) {
        snprintf(path, sizeof path, "%s/node%d/cpu%d", root, node, cpu);
        if (access(path, F_OK) == 0) return node;
    }
    return -1;
}

#endif  // __linux__
