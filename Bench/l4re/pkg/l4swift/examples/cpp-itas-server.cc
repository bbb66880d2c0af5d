// A C++ server of L4Re::Itas (L4::Epiface over L4Re's own header), for the
// Swift client swift-itas-client: it keeps what a signal service keeps for one
// thread (actions, the mask, pending signals, timers, the alternate stack) and
// delivers nothing; the same behaviour as swift-itas-server.
#include <l4/re/env>
#include <l4/re/itas>
#include <l4/re/util/object_registry>
#include <l4/re/util/br_manager>
#include <l4/sys/cxx/ipc_epiface>
#include <signal.h>
#include <sys/time.h>
#include <cstdio>
#include <cstring>

static L4Re::Util::Registry_server<L4Re::Util::Br_manager_hooks> server;

struct Itas_server : L4::Epiface_t<Itas_server, L4Re::Itas>
{
  struct sigaction actions[65];
  sigset_t mask, pending;
  struct itimerval timers[3];
  stack_t alt;

  Itas_server()
  {
    memset(actions, 0, sizeof(actions)); sigemptyset(&mask); sigemptyset(&pending);
    memset(timers, 0, sizeof(timers)); memset(&alt, 0, sizeof(alt));
  }

  long op_register_thread(L4Re::Itas::Rights, L4::Ipc::Snd_fpage, L4::Ipc::Snd_fpage, l4_addr_t) { return 0; }
  long op_unregister_thread(L4Re::Itas::Rights, L4::Ipc::Snd_fpage) { return 0; }

  long op_sigaction(L4Re::Itas::Rights, int signum, struct sigaction const &act, struct sigaction &old)
  {
    if (signum < 1 || signum > 64)
      return -L4_EINVAL;
    struct sigaction in = act;   // old lies in the registers act came in
    old = actions[signum];
    if (in.sa_flags != L4Re::Itas::Ignore_sigaction)
      actions[signum] = in;
    return 0;
  }

  long op_sigaltstack(L4Re::Itas::Rights, L4::Ipc::Snd_fpage, struct sigaltstack const &ss, struct sigaltstack &old)
  {
    stack_t in = ss;
    old = alt;
    if (in.ss_flags != -1)
      alt = in;
    return 0;
  }

  long op_sigprocmask(L4Re::Itas::Rights, L4::Ipc::Snd_fpage, int how, sigset_t const &set, sigset_t &old)
  {
    if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK && how != -1)
      return -L4_EINVAL;
    sigset_t in = set, prev = mask;   // old lies in the registers set came in
    if (how != -1)   // -1: the mask only read (libc sends it when its set is NULL)
      for (int s = 1; s <= 64; ++s)
        {
          bool m = sigismember(&in, s) == 1;
          if (how == SIG_SETMASK ? m : how == SIG_BLOCK && m)
            sigaddset(&mask, s);
          else if (how == SIG_SETMASK || (how == SIG_UNBLOCK && m))
            sigdelset(&mask, s);
        }
    old = prev;
    return 0;
  }

  long op_sigpending(L4Re::Itas::Rights, L4::Ipc::Snd_fpage, sigset_t &set) { set = pending; return 0; }

  long op_setitimer(L4Re::Itas::Rights, int which, struct itimerval const &v, struct itimerval &old)
  {
    if (which < 0 || which > 2)
      return -L4_EINVAL;
    struct itimerval in = v;
    old = timers[which];
    timers[which] = in;
    return 0;
  }

  long op_getitimer(L4Re::Itas::Rights, int which, struct itimerval &v)
  {
    if (which < 0 || which > 2)
      return -L4_EINVAL;
    v = timers[which];
    return 0;
  }

  long op_raise(L4Re::Itas::Rights, L4::Ipc::Snd_fpage, int sig)
  {
    if (sig < 1 || sig > 64)
      return -L4_EINVAL;
    sigaddset(&pending, sig);
    return 0;
  }
};

int main()
{
  static Itas_server itas;
  if (!server.registry()->register_obj(&itas, "itas").is_valid())
    {
      printf("cpp-itas-server: no 'itas' capability to serve\n");
      return 1;
    }
  printf("cpp-itas-server: ready, struct sigaction is %zu bytes, sigset_t %zu, itimerval %zu, stack_t %zu\n",
         sizeof(struct sigaction), sizeof(sigset_t), sizeof(struct itimerval), sizeof(stack_t));
  server.loop();
}
