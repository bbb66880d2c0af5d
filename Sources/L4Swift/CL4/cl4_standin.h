// Compile-check stand-in for cl4.h, for machines without an L4Re build (CI):
// the same functions, declared but not defined, with the same C types on
// amd64. It lets the Embedded Swift library and programs compile for
// x86_64-unknown-none-elf; nothing built with it is linked or run.
// scripts/embedded-check.sh checks that it declares every function cl4.h has.
#ifndef CL4_STANDIN_H
#define CL4_STANDIN_H

typedef unsigned long l4_umword_t;
typedef unsigned long cl4_word;
typedef unsigned long cl4_cap;

void *cl4_utcb(void);
cl4_word *cl4_mr(void *u);
cl4_word *cl4_br(void *u);
void cl4_set_bdr(void *u, cl4_word v);
long cl4_ipc_error(void *u);
l4_umword_t cl4_timeout_never(void);
l4_umword_t cl4_timeout_zero(void);
l4_umword_t cl4_timeout_us(unsigned us);
l4_umword_t cl4_timeout_rcv_us(unsigned us);
long cl4_ipc_call(cl4_cap dest, void *u, long tag, l4_umword_t timeout);
long cl4_ipc_send(cl4_cap dest, void *u, long tag, l4_umword_t timeout);
long cl4_ipc_wait(void *u, cl4_word *label, l4_umword_t timeout);
long cl4_ipc_receive(cl4_cap src, void *u, l4_umword_t timeout);
long cl4_ipc_reply_and_wait(void *u, long tag, cl4_word *label, l4_umword_t timeout);
long cl4_ipc_reply(void *u, long tag);
cl4_cap cl4_invalid_cap(void);
int cl4_is_valid_cap(cl4_cap c);
cl4_cap cl4_this_task(void);
cl4_cap cl4_this_thread(void);
cl4_cap cl4_env_factory(void);
cl4_cap cl4_env_scheduler(void);
cl4_cap cl4_env_rm(void);
cl4_cap cl4_env_mem_alloc(void);
cl4_cap cl4_env_get_cap(const char *name);
cl4_cap cl4_cap_alloc(void);
void cl4_cap_free(cl4_cap c);
long cl4_cap_unmap(cl4_cap c);
int cl4_cap_present(cl4_cap c);
long cl4_error(long tag, void *u);
long cl4_irq_trigger(cl4_cap irq);
void cl4_task_unmap_mem(l4_umword_t fpage);
unsigned long long cl4_kip_tsc_hz(void);
unsigned long long cl4_tsc_begin(void);
unsigned long long cl4_tsc_end(void);
int cl4_watchdog_start(unsigned seconds);
void cl4_sleep_ms(unsigned ms);
void cl4_exit(int code);
void cl4_console_write(const void *buf, unsigned long len);

#endif
