// libFuzzer <-> .NET bridge: libFuzzer runs in this process; the fuzz target runs in a .NET process started once,
// which SharpFuzz (Fuzzer.LibFuzzer.Run) serves. They share one System V shared-memory segment:
//
//   [0, 65536)                  the edge-coverage map SharpFuzz's instrumentation increments
//   [65536, 65536 + MAX_INPUT)  the input of the current run
//
// and two pipes the child finds by the descriptor numbers in __LIBFUZZER_CONTROL_PIPE_ID (lengths in, int32) and
// __LIBFUZZER_STATUS_PIPE_ID (results out, int32: 0 = the run returned, anything else = an exception escaped); the
// segment's id is in __LIBFUZZER_SHM_ID. The child writes one int32 when it is ready. Each run: the input
// goes to the segment, the map is cleared, the length is written, the result is read, and the map is copied into
// libFuzzer's extra counters, so libFuzzer sees the .NET code's coverage as its own.
//
// The child is named by two environment variables: HNEST_FUZZ_PROGRAM (an executable) and HNEST_FUZZ_TARGET (its
// one argument, the target's name). A result other than 0, or a child that died (a signal, a stack overflow,
// Environment.FailFast), aborts this process, which libFuzzer records as a crash with the input that caused it;
// libFuzzer's -timeout covers a child that hangs (the child dies with this process: PR_SET_PDEATHSIG).
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAP_SIZE (1 << 16)
#define MAX_INPUT (1 << 20)

__attribute__((used, section("__libfuzzer_extra_counters"))) static uint8_t coverage[MAP_SIZE];

static uint8_t *shared;
static int to_child = -1, from_child = -1;
static pid_t child;

static void die(const char *what) {
    fprintf(stderr, "dotnet-bridge: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int read_all(int fd, void *buffer, size_t length) {
    uint8_t *p = buffer;
    while (length > 0) {
        ssize_t n = read(fd, p, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        length -= (size_t)n;
    }
    return 0;
}

static int write_all(int fd, const void *buffer, size_t length) {
    const uint8_t *p = buffer;
    while (length > 0) {
        ssize_t n = write(fd, p, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        length -= (size_t)n;
    }
    return 0;
}

// The child stopped answering: say how it ended, then abort so libFuzzer keeps the input.
static void child_died(void) {
    int status = 0;
    if (waitpid(child, &status, 0) == child) {
        if (WIFSIGNALED(status))
            fprintf(stderr, "dotnet-bridge: the target process was killed by signal %d\n", WTERMSIG(status));
        else if (WIFEXITED(status))
            fprintf(stderr, "dotnet-bridge: the target process exited with code %d\n", WEXITSTATUS(status));
    } else {
        fprintf(stderr, "dotnet-bridge: the target process stopped answering\n");
    }
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    const char *program = getenv("HNEST_FUZZ_PROGRAM");
    const char *target = getenv("HNEST_FUZZ_TARGET");
    if (!program || !target) {
        fprintf(stderr, "dotnet-bridge: set HNEST_FUZZ_PROGRAM and HNEST_FUZZ_TARGET\n");
        exit(1);
    }

    int id = shmget(IPC_PRIVATE, MAP_SIZE + MAX_INPUT, IPC_CREAT | 0600);
    if (id < 0) die("shmget");
    shared = shmat(id, NULL, 0);
    if (shared == (void *)-1) die("shmat");
    shmctl(id, IPC_RMID, NULL); // freed when both processes detach
    char id_text[16];
    snprintf(id_text, sizeof id_text, "%d", id);

    int down[2], up[2];
    if (pipe(down) < 0 || pipe(up) < 0) die("pipe");
    pid_t parent = getpid();
    child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(1);
        close(down[1]);
        close(up[0]);
        char control[16], status[16];
        snprintf(control, sizeof control, "%d", down[0]);
        snprintf(status, sizeof status, "%d", up[1]);
        setenv("__LIBFUZZER_SHM_ID", id_text, 1);
        setenv("__LIBFUZZER_CONTROL_PIPE_ID", control, 1);
        setenv("__LIBFUZZER_STATUS_PIPE_ID", status, 1);
        execl(program, program, target, (char *)NULL);
        fprintf(stderr, "dotnet-bridge: cannot start %s: %s\n", program, strerror(errno));
        _exit(127);
    }
    close(down[0]);
    close(up[1]);
    to_child = down[1];
    from_child = up[0];
    signal(SIGPIPE, SIG_IGN);

    int32_t ready;
    if (read_all(from_child, &ready, sizeof ready) < 0) child_died();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > MAX_INPUT) return 0; // run with -max_len at most MAX_INPUT
    memcpy(shared + MAP_SIZE, data, size);
    memset(shared, 0, MAP_SIZE);
    int32_t length = (int32_t)size, result;
    if (write_all(to_child, &length, sizeof length) < 0) child_died();
    if (read_all(from_child, &result, sizeof result) < 0) child_died();
    if (result != 0) {
        fprintf(stderr, "dotnet-bridge: an exception escaped the target (printed above)\n");
        abort();
    }
    memcpy(coverage, shared, MAP_SIZE);
    return 0;
}
