/* peak_rss OUT CMD [ARGS...]: runs CMD, writes its peak RSS in KiB (wait4's
 * ru_maxrss) to the file OUT, and exits with CMD's exit status (128 + the
 * signal if a signal ended it).
 *
 * Why not read ru_maxrss in the benchmark harness itself: Linux keeps a
 * process's RSS high-water mark across exec, and a child forked (or
 * vforked) from the Python harness starts with the harness's pages, so
 * every figure would include the harness's ~90 MiB. This small program is
 * exec'd first; the command it forks starts from its few hundred KiB. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: peak_rss OUT CMD [ARGS...]\n");
    return 2;
  }
  pid_t pid = fork();
  if (pid < 0) {
    perror("peak_rss: fork");
    return 2;
  }
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    perror("peak_rss: exec");
    _exit(127);
  }
  int status;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) < 0) {
    perror("peak_rss: wait4");
    return 2;
  }
  FILE *out = fopen(argv[1], "w");
  if (!out || fprintf(out, "%ld\n", usage.ru_maxrss) < 0 || fclose(out)) {
    perror("peak_rss: writing the result");
    return 2;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
