// ipc.roundtrip.raw: the futex ping-pong with nothing else in the loop, the
// physical limit the harness peers are held against. Started by `l4bench run`
// like the peers (fd 4: control page, fd 5: samples); it serves only one
// BENCH_RAW job and talks through plain syscalls, no harness helpers.
#define _GNU_SOURCE
#include "bench_proto.h"
#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <signal.h>
#include <unistd.h>

static inline uint64_t tsc0(void) {
    uint32_t lo, hi;
    __asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}
static inline uint64_t tsc1(void) {
    uint32_t lo, hi, aux;
    __asm__ __volatile__("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}
static inline void wake(uint32_t *w) { syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0); }
static inline void wait_for(uint32_t *w, uint32_t want) {
    uint32_t v;
    while ((v = __atomic_load_n(w, __ATOMIC_ACQUIRE)) != want) syscall(SYS_futex, w, FUTEX_WAIT, v, NULL, NULL, 0);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: bench-raw client|server CPU  (started by `l4bench run`)\n"); return 64; }
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(atoi(argv[2]), &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) { perror("bench-raw: sched_setaffinity"); return 3; }
    struct bench_ctl *ctl = mmap(NULL, sizeof *ctl, PROT_READ | PROT_WRITE, MAP_SHARED, BENCH_FD_CTL, 0);
    if (ctl == MAP_FAILED || ctl->magic != BENCH_MAGIC || ctl->njobs != 1 || ctl->jobs[0].kind != BENCH_RAW) {
        fprintf(stderr, "bench-raw: no control page with one raw job on fd %d\n", BENCH_FD_CTL);
        return 3;
    }
    struct bench_shm *s = &ctl->ipc;
    uint32_t n = ctl->jobs[0].warmup + ctl->jobs[0].samples, warm = ctl->jobs[0].warmup;
    if (argv[1][0] == 's') {
        for (uint32_t seq = 1; seq <= n; seq++) {
            wait_for(&s->req_seq, seq);
            __atomic_store_n(&s->rep_seq, seq, __ATOMIC_RELEASE);
            wake(&s->rep_seq);
        }
        return 0;
    }
    uint64_t *out = mmap(NULL, ctl->slots * sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, BENCH_FD_SAMPLES, 0);
    if (out == MAP_FAILED) { perror("bench-raw: mmap samples"); return 3; }
    __atomic_store_n(&ctl->current, 0, __ATOMIC_RELEASE);
    for (uint32_t seq = 1; seq <= n; seq++) {
        uint64_t t0 = tsc0();
        __atomic_store_n(&s->req_seq, seq, __ATOMIC_RELEASE);
        wake(&s->req_seq);
        wait_for(&s->rep_seq, seq);
        uint64_t t1 = tsc1();
        if (seq > warm) {
            out[seq - warm - 1] = t1 - t0;
            __atomic_store_n(&ctl->done[0], seq - warm, __ATOMIC_RELEASE);
        }
    }
    return 0;
}
