// The one seam between Embedded Swift and L4Re: every kernel and L4Re call the
// Swift library makes goes through a function here. All are static inline, so
// they inline into the Swift caller: a Swift IPC loop compiles to the same
// instructions as a C one.
//
// Macros and struct-returning helpers of l4sys do not import into Swift; these
// wrappers pass raw words (tags, timeouts, flexpages) instead.
#ifndef CL4_H
#define CL4_H

#ifdef CL4_STANDIN
#include "cl4_standin.h"
#else

#include <l4/sys/ipc.h>
#include <l4/sys/utcb.h>
#include <l4/sys/types.h>
#include <l4/sys/consts.h>
#include <l4/sys/task.h>
#include <l4/sys/irq.h>
#include <l4/sys/kip.h>
#include <l4/re/env.h>
#include <l4/re/c/util/cap_alloc.h>
#include <l4/util/util.h>
#include <pthread.h>
// libc's types some L4Re interfaces pass (L4Re::Itas): `l4swift-gen --import CL4 --c-type 'struct sigaction'`
// takes them from here, laid out by the C compiler as L4Re's C++ sees them
#include <signal.h>
#include <sys/time.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define CL4_INLINE static inline __attribute__((always_inline))

typedef l4_umword_t cl4_word;
typedef l4_cap_idx_t cl4_cap;

// ---- UTCB ----
CL4_INLINE void *cl4_utcb(void) { return l4_utcb(); }
CL4_INLINE cl4_word *cl4_mr(void *u) { return l4_utcb_mr_u((l4_utcb_t *)u)->mr; }
CL4_INLINE cl4_word *cl4_br(void *u) { return l4_utcb_br_u((l4_utcb_t *)u)->br; }
CL4_INLINE void cl4_set_bdr(void *u, cl4_word v) { l4_utcb_br_u((l4_utcb_t *)u)->bdr = v; }
/// The IPC error code of the last failed operation (L4_IPC_*).
CL4_INLINE long cl4_ipc_error(void *u) { return (long)(l4_utcb_tcr_u((l4_utcb_t *)u)->error & L4_IPC_ERROR_MASK); }

// ---- timeouts (raw l4_timeout_t) ----
CL4_INLINE l4_umword_t cl4_timeout_never(void) { return L4_IPC_NEVER.raw; }
CL4_INLINE l4_umword_t cl4_timeout_zero(void) { return L4_IPC_BOTH_TIMEOUT_0.raw; }
/// Send and receive timeout of `us` microseconds each.
CL4_INLINE l4_umword_t cl4_timeout_us(unsigned us) {
    l4_timeout_s t = l4_timeout_from_us(us);
    return l4_timeout(t, t).raw;
}
/// No send timeout, receive timeout of `us` microseconds.
CL4_INLINE l4_umword_t cl4_timeout_rcv_us(unsigned us) {
    return l4_timeout(L4_IPC_TIMEOUT_NEVER, l4_timeout_from_us(us)).raw;
}

// ---- IPC (raw tags in and out) ----
CL4_INLINE long cl4_ipc_call(cl4_cap dest, void *u, long tag, l4_umword_t timeout) {
    l4_timeout_t to = { .raw = timeout };
    return l4_ipc_call(dest, (l4_utcb_t *)u, (l4_msgtag_t){ .raw = tag }, to).raw;
}
CL4_INLINE long cl4_ipc_send(cl4_cap dest, void *u, long tag, l4_umword_t timeout) {
    l4_timeout_t to = { .raw = timeout };
    return l4_ipc_send(dest, (l4_utcb_t *)u, (l4_msgtag_t){ .raw = tag }, to).raw;
}
CL4_INLINE long cl4_ipc_wait(void *u, cl4_word *label, l4_umword_t timeout) {
    l4_timeout_t to = { .raw = timeout };
    return l4_ipc_wait((l4_utcb_t *)u, label, to).raw;
}
CL4_INLINE long cl4_ipc_receive(cl4_cap src, void *u, l4_umword_t timeout) {
    l4_timeout_t to = { .raw = timeout };
    return l4_ipc_receive(src, (l4_utcb_t *)u, to).raw;
}
CL4_INLINE long cl4_ipc_reply_and_wait(void *u, long tag, cl4_word *label, l4_umword_t timeout) {
    l4_timeout_t to = { .raw = timeout };
    return l4_ipc_reply_and_wait((l4_utcb_t *)u, (l4_msgtag_t){ .raw = tag }, label, to).raw;
}
/// Reply to the last caller without waiting (send on the implicit reply capability).
CL4_INLINE long cl4_ipc_reply(void *u, long tag) {
    return l4_ipc_send(L4_INVALID_CAP | L4_SYSF_REPLY, (l4_utcb_t *)u, (l4_msgtag_t){ .raw = tag }, L4_IPC_SEND_TIMEOUT_0).raw;
}

// ---- capabilities ----
CL4_INLINE cl4_cap cl4_invalid_cap(void) { return L4_INVALID_CAP; }
CL4_INLINE int cl4_is_valid_cap(cl4_cap c) { return l4_is_valid_cap(c); }
CL4_INLINE cl4_cap cl4_this_task(void) { return L4RE_THIS_TASK_CAP; }
CL4_INLINE cl4_cap cl4_this_thread(void) { return l4re_env()->main_thread; }
CL4_INLINE cl4_cap cl4_env_factory(void) { return l4re_env()->factory; }
CL4_INLINE cl4_cap cl4_env_scheduler(void) { return l4re_env()->scheduler; }
CL4_INLINE cl4_cap cl4_env_rm(void) { return l4re_env()->rm; }
CL4_INLINE cl4_cap cl4_env_mem_alloc(void) { return l4re_env()->mem_alloc; }
CL4_INLINE cl4_cap cl4_env_get_cap(const char *name) { return l4re_env_get_cap(name); }
CL4_INLINE cl4_cap cl4_cap_alloc(void) { return l4re_util_cap_alloc(); }
CL4_INLINE void cl4_cap_free(cl4_cap c) { l4re_util_cap_free(c); }
/// Unmaps the capability from this task (all rights), deleting the local mapping.
CL4_INLINE long cl4_cap_unmap(cl4_cap c) {
    return l4_task_unmap(L4RE_THIS_TASK_CAP, l4_obj_fpage(c, 0, L4_CAP_FPAGE_RWSD), L4_FP_ALL_SPACES).raw;
}
/// Does the slot hold a capability? 1 yes, 0 no.
CL4_INLINE int cl4_cap_present(cl4_cap c) {
    return l4_msgtag_label(l4_task_cap_valid(L4RE_THIS_TASK_CAP, c)) > 0;
}
/// The return code of a kernel-object operation's tag: negative error, IPC error mapped to -(2000+e).
CL4_INLINE long cl4_error(long tag, void *u) { return l4_error_u((l4_msgtag_t){ .raw = tag }, (l4_utcb_t *)u); }

// ---- kernel objects ----
CL4_INLINE long cl4_irq_trigger(cl4_cap irq) { return l4_irq_trigger(irq).raw; }

// ---- memory ----
/// Unmaps the memory flexpage `fpage` (raw) from this task in all address spaces (a system call,
/// what `L4::Task::unmap` is in C++ too).
CL4_INLINE void cl4_task_unmap_mem(l4_umword_t fpage) {
    l4_task_unmap(L4RE_THIS_TASK_CAP, (l4_fpage_t){ .raw = fpage }, L4_FP_ALL_SPACES);
}

// ---- time ----
/// TSC frequency from the kernel info page, in Hz (the KIP gives kHz).
CL4_INLINE unsigned long long cl4_kip_tsc_hz(void) { return (unsigned long long)l4re_kip()->frequency_cpu * 1000ull; }
CL4_INLINE unsigned long long cl4_tsc_begin(void) {
    unsigned lo, hi;
    __asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((unsigned long long)hi << 32) | lo;
}
CL4_INLINE unsigned long long cl4_tsc_end(void) {
    unsigned lo, hi, aux;
    __asm__ __volatile__("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) :: "memory");
    return ((unsigned long long)hi << 32) | lo;
}

// ---- watchdog ----
static void *cl4__watchdog_main(void *arg) {
    l4_sleep((l4_uint32_t)(unsigned long)arg);
    printf("watchdog: time limit reached, exiting with 124\n");
    fflush(stdout);
    exit(124);
    return 0;
}
/// Ends the program with exit code 124 after `seconds`, whatever its main
/// thread is blocked in (a peer that never answers). 0 or an error number.
CL4_INLINE int cl4_watchdog_start(unsigned seconds) {
    pthread_t t;
    return pthread_create(&t, 0, cl4__watchdog_main, (void *)((unsigned long)seconds * 1000ul));
}

/// Sleeps `ms` milliseconds (0: forever).
CL4_INLINE void cl4_sleep_ms(unsigned ms) { if (ms) l4_sleep(ms); else l4_sleep_forever(); }
/// Ends the program with `code`.
CL4_INLINE void cl4_exit(int code) { exit(code); }

// ---- console ----
/// Writes `len` bytes to the program's log in one call.
CL4_INLINE void cl4_console_write(const void *buf, unsigned long len) { (void)write(1, buf, len); }

#endif
#endif
