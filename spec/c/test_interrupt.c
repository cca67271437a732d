/* test_interrupt.c - the REPL's interrupt handling: SIGINT recorded and taken
 * once, a wait for input cut short by it, input seen, and the previous
 * handler restored. */
#define _POSIX_C_SOURCE 200809L
#include "tap.h"
#include "tpp.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t outer_seen;
static void outer_handler(int sig) {
  (void)sig;
  outer_seen = 1;
}

TAP_TEST(interrupt_catch_take_restore) {
  struct sigaction sa, now;
  sa.sa_handler = outer_handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, NULL);
  TAP_INT(tpp_interrupt_catch(1), 0, "catch installs");
  TAP_INT(tpp_interrupt_take(), 0, "nothing taken before a signal");
  raise(SIGINT);
  TAP_INT(tpp_interrupt_take(), 1, "a SIGINT is recorded");
  TAP_INT(tpp_interrupt_take(), 0, "and taken only once");
  TAP_INT(outer_seen, 0, "the previous handler does not see it");
  TAP_INT(tpp_interrupt_catch(0), 0, "release restores");
  sigaction(SIGINT, NULL, &now);
  TAP_OK(now.sa_handler == outer_handler, "the previous handler is back");
  raise(SIGINT);
  TAP_INT(outer_seen, 1, "and sees the next SIGINT");
  signal(SIGINT, SIG_DFL);
}

TAP_TEST(interrupt_wait_input) {
  int fds[2];
  TAP_INT(pipe(fds), 0, "pipe");
  TAP_INT(tpp_wait_input(fds[0], 10), 0, "no input: timeout");
  TAP_INT(write(fds[1], "x", 1), 1, "write");
  TAP_INT(tpp_wait_input(fds[0], 1000), 1, "input is seen");
  close(fds[0]);
  close(fds[1]);
}

static pthread_t waiter;
static void *interrupt_later(void *arg) {
  struct timespec ts = {0, 30 * 1000 * 1000};
  (void)arg;
  nanosleep(&ts, NULL);
  pthread_kill(waiter, SIGINT);
  return NULL;
}

TAP_TEST(interrupt_cuts_a_wait_short) {
  int fds[2];
  pthread_t t;
  TAP_INT(pipe(fds), 0, "pipe");
  TAP_INT(tpp_interrupt_catch(1), 0, "catch installs");
  waiter = pthread_self();
  pthread_create(&t, NULL, interrupt_later, NULL);
  TAP_INT(tpp_wait_input(fds[0], 10000), -1, "Ctrl-C ends a wait with no input");
  pthread_join(t, NULL);
  TAP_INT(tpp_interrupt_take(), 1, "and is recorded");
  TAP_INT(tpp_interrupt_catch(0), 0, "release");
  close(fds[0]);
  close(fds[1]);
}
