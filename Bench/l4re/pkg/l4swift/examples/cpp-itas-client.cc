// A C++ client of L4Re::Itas through L4Re's own class (l4/re/itas), against
// the Swift server swift-itas-server: libc's struct sigaction, sigset_t,
// struct sigaltstack and struct itimerval go over the wire as uclibc lays them
// out, and every field comes back as it was sent.
#include <l4/re/env>
#include <l4/re/itas>
#include <signal.h>
#include <sys/time.h>
#include <cstdio>
#include <cstring>

static int failures;

static void check(bool ok, char const *what, long got)
{
  printf("cpp-itas-client: %s = %ld %s\n", what, got, ok ? "ok" : "MISMATCH");
  if (!ok)
    ++failures;
}

static void handler(int) {}

int main()
{
  auto env = L4Re::Env::env();
  auto itas = env->get_cap<L4Re::Itas>("itas");
  if (!itas.is_valid())
    {
      printf("cpp-itas-client: no 'itas' capability\nITAS FAIL\n");
      return 1;
    }
  L4::Cap<L4::Thread> self = env->main_thread();
  printf("cpp-itas-client: struct sigaction is %zu bytes, sigset_t %zu, itimerval %zu, stack_t %zu\n",
         sizeof(struct sigaction), sizeof(sigset_t), sizeof(struct itimerval), sizeof(stack_t));

  long r = itas->register_thread(self, self, 0x1000);
  check(r == 0, "register_thread", r);

  // sigaction: a handler, flags and a mask, then the old action back field by field
  struct sigaction act, act2, old, keep;
  memset(&act, 0, sizeof(act)); memset(&old, 0x55, sizeof(old));
  act.sa_handler = handler;
  act.sa_flags = SA_RESTART | SA_NODEFER;
  sigemptyset(&act.sa_mask);
  sigaddset(&act.sa_mask, SIGINT);
  sigaddset(&act.sa_mask, SIGTERM);
  r = itas->sigaction(SIGUSR1, &act, &old);
  check(r == 0 && old.sa_handler == SIG_DFL && old.sa_flags == 0 && !sigismember(&old.sa_mask, SIGINT),
        "sigaction(SIGUSR1): no action before", r);
  memset(&act2, 0, sizeof(act2));
  act2.sa_handler = SIG_IGN;
  r = itas->sigaction(SIGUSR1, &act2, &old);
  check(r == 0 && old.sa_handler == handler && old.sa_flags == (SA_RESTART | SA_NODEFER)
        && sigismember(&old.sa_mask, SIGINT) && sigismember(&old.sa_mask, SIGTERM)
        && !sigismember(&old.sa_mask, SIGHUP), "sigaction(SIGUSR1): the old handler, flags and mask back", r);
  memset(&keep, 0, sizeof(keep));
  keep.sa_flags = L4Re::Itas::Ignore_sigaction;
  r = itas->sigaction(SIGUSR1, &keep, &old);
  check(r == 0 && old.sa_handler == SIG_IGN, "sigaction(Ignore_sigaction): reads the action", r);
  r = itas->sigaction(SIGUSR1, &keep, &old);
  check(r == 0 && old.sa_handler == SIG_IGN, "sigaction(Ignore_sigaction): and changed nothing", r);
  r = itas->sigaction(0, &act, &old);
  check(r == -L4_EINVAL, "sigaction(0): -L4_EINVAL", r);

  // sigprocmask: block, unblock, set; the old mask each time
  sigset_t set, oset;
  sigemptyset(&set); sigaddset(&set, SIGINT); sigaddset(&set, SIGUSR2);
  r = itas->sigprocmask(self, SIG_BLOCK, &set, &oset);
  check(r == 0 && !sigismember(&oset, SIGINT), "sigprocmask(SIG_BLOCK)", r);
  sigemptyset(&set); sigaddset(&set, SIGINT);
  r = itas->sigprocmask(self, SIG_UNBLOCK, &set, &oset);
  check(r == 0 && sigismember(&oset, SIGINT) && sigismember(&oset, SIGUSR2), "sigprocmask(SIG_UNBLOCK): the blocked set back", r);
  sigemptyset(&set); sigaddset(&set, SIGHUP);
  r = itas->sigprocmask(self, SIG_SETMASK, &set, &oset);
  check(r == 0 && !sigismember(&oset, SIGINT) && sigismember(&oset, SIGUSR2), "sigprocmask(SIG_SETMASK)", r);
  r = itas->sigprocmask(self, -1, &set, &oset);
  check(r == 0 && sigismember(&oset, SIGHUP) && !sigismember(&oset, SIGINT) && !sigismember(&oset, SIGUSR2),
        "sigprocmask(-1): the mask SIG_SETMASK set, read only", r);
  r = itas->sigprocmask(self, -1, &set, &oset);
  check(r == 0 && sigismember(&oset, SIGHUP) && !sigismember(&oset, SIGUSR2), "sigprocmask(-1): and left as it was", r);
  r = itas->sigprocmask(self, 7, &set, &oset);
  check(r == -L4_EINVAL, "sigprocmask(7): -L4_EINVAL", r);

  // raise, then the pending set
  r = itas->raise(self, SIGUSR2);
  check(r == 0, "raise(SIGUSR2)", r);
  sigset_t pend;
  sigemptyset(&pend);
  r = itas->sigpending(self, &pend);
  check(r == 0 && sigismember(&pend, SIGUSR2) && !sigismember(&pend, SIGUSR1), "sigpending: SIGUSR2", r);

  // timers: the old value back, then the new one read
  struct itimerval tv, otv;
  memset(&tv, 0, sizeof(tv));
  tv.it_interval.tv_sec = 1; tv.it_interval.tv_usec = 500000;
  tv.it_value.tv_sec = 2; tv.it_value.tv_usec = 250;
  r = itas->setitimer(ITIMER_REAL, &tv, &otv);
  check(r == 0 && otv.it_value.tv_sec == 0 && otv.it_interval.tv_usec == 0, "setitimer(ITIMER_REAL)", r);
  memset(&otv, 0, sizeof(otv));
  r = itas->getitimer(ITIMER_REAL, &otv);
  check(r == 0 && otv.it_interval.tv_sec == 1 && otv.it_interval.tv_usec == 500000 && otv.it_value.tv_sec == 2
        && otv.it_value.tv_usec == 250, "getitimer(ITIMER_REAL): the value set", r);
  r = itas->getitimer(9, &otv);
  check(r == -L4_EINVAL, "getitimer(9): -L4_EINVAL", r);

  // the alternate stack: a pointer, flags and a size, back as sent
  static char stack_mem[8192];
  stack_t ss, oss;
  memset(&ss, 0, sizeof(ss));
  ss.ss_sp = stack_mem; ss.ss_size = sizeof(stack_mem); ss.ss_flags = 0;
  r = itas->sigaltstack(self, &ss, &oss);
  check(r == 0 && oss.ss_sp == nullptr && oss.ss_size == 0, "sigaltstack: none before", r);
  ss.ss_flags = -1;
  r = itas->sigaltstack(self, &ss, &oss);
  check(r == 0 && oss.ss_sp == stack_mem && oss.ss_size == sizeof(stack_mem) && oss.ss_flags == 0,
        "sigaltstack: the stack back (pointer, size, flags)", r);

  r = itas->unregister_thread(self);
  check(r == 0, "unregister_thread", r);
  printf(failures ? "ITAS FAIL\n" : "ITAS PASS\n");
  return failures ? 1 : 0;
}
