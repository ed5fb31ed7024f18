/* ball-sim: the firmware core running on the host against simulated BMP390 and LSM6DS3
 * register maps, speaking the serial protocol.
 *   ball-sim [--seconds S] [--rate HZ] [--channels MASK] [--seed N]
 *       as fast as possible, S seconds of stream to stdout (started as a host would, with
 *       a START command through the serial receiver), then STOP.
 *   ball-sim --pty [--seconds S] [--autostart] ...
 *       a pseudo-terminal in real time; prints its path, then waits for commands. */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "sb_app.h"
#include "sim_board.h"

static sb_app_t app;

static int send_stdout(void *ctx, sb_link_t link, const uint8_t *data, size_t len)
{
    (void)ctx;
    if (link != SB_LINK_SERIAL)
        return -1;
    return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

static int send_fd(void *ctx, sb_link_t link, const uint8_t *data, size_t len)
{
    int fd = *(int *)ctx;
    if (link != SB_LINK_SERIAL)
        return -1;
    /* All or nothing, as a USB CDC endpoint queue: check room first is not possible on a
     * pty, so a short write is finished and a full buffer reports "no room". */
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n > 0) {
            done += (size_t)n;
        } else if (n < 0 && errno == EAGAIN && done > 0) {
            struct pollfd p = {fd, POLLOUT, 0};
            (void)poll(&p, 1, 10);
        } else {
            return done ? 0 : -1;
        }
    }
    return 0;
}

static void host_command(uint8_t op, const uint8_t *args, size_t n, uint64_t now_us)
{
    static uint8_t token = 1;
    uint8_t frame[SB_MAX_FRAME], wire[SB_SERIAL_MAX];
    size_t len = sb_encode_command(frame, sizeof frame, 0, 0, op, token++, args, n);
    size_t w = sb_serial_wrap(wire, sizeof wire, frame, len);
    sb_app_rx_serial(&app, wire, w, now_us);
}

static uint64_t monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int run_fast(double seconds, const uint8_t start_args[3])
{
    sim_board.send = send_stdout;
    uint64_t end = (uint64_t)(seconds * 1e6 + 0.5);
    sb_app_init(&app, 0);
    sb_app_link_up(&app, SB_LINK_SERIAL, 0);
    host_command(SB_OP_START, start_args, 3, 0);
    for (uint64_t t = 1000; t <= end; t += 1000) {
        sim_board.now_us = t;
        sb_app_poll(&app, t);
    }
    host_command(SB_OP_STOP, NULL, 0, end);
    return fflush(stdout) == 0 ? 0 : 1;
}

static int run_pty(double seconds, int autostart, const uint8_t start_args[3])
{
    int fd = posix_openpt(O_RDWR | O_NOCTTY);
    if (fd < 0 || grantpt(fd) != 0 || unlockpt(fd) != 0) {
        perror("ball-sim: cannot create a pseudo-terminal");
        return 1;
    }
    struct termios tio;
    if (tcgetattr(fd, &tio) == 0) {
        cfmakeraw(&tio);
        (void)tcsetattr(fd, TCSANOW, &tio);
    }
    (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    /* Until its other end has been opened once, a master never reports POLLHUP: open and
     * close it here so "nobody there" reads the same before the first host as after one. */
    int slave = open(ptsname(fd), O_RDWR | O_NOCTTY);
    if (slave >= 0)
        close(slave);
    printf("%s\n", ptsname(fd));
    fflush(stdout);

    sim_board.send = send_fd;
    sim_board.send_ctx = &fd;
    uint64_t t0 = monotonic_us(), end = seconds > 0 ? (uint64_t)(seconds * 1e6) : UINT64_MAX;
    sb_app_init(&app, 0);
    app.idle_sleep_us = 0; /* a simulator waits for its host however long it takes */
    int up = 0;
    uint64_t opened_at = 0;
    for (;;) {
        uint64_t now = monotonic_us() - t0;
        if (now >= end)
            break;
        sim_board.now_us = now;
        /* The serial link is up while a program has the other end open (no POLLHUP). */
        struct pollfd p = {fd, POLLIN, 0};
        (void)poll(&p, 1, 1);
        int open_now = !(p.revents & POLLHUP);
        /* A host's open() flushes its input after configuring the port (pyserial does):
         * the link counts as up once the other end has been open for 100 ms. */
        if (!open_now)
            opened_at = 0;
        else if (!opened_at)
            opened_at = now;
        if (open_now && now - opened_at < 100000)
            open_now = up;
        if (open_now != up) {
            up = open_now;
            if (up) {
                sb_app_link_up(&app, SB_LINK_SERIAL, now);
                if (autostart)
                    host_command(SB_OP_START, start_args, 3, now);
            } else {
                sb_app_link_down(&app, SB_LINK_SERIAL, now);
            }
        }
        if (p.revents & POLLIN) {
            uint8_t buf[256];
            ssize_t n = read(fd, buf, sizeof buf);
            if (n > 0 && !up) { /* a host that writes is certainly there */
                up = 1;
                sb_app_link_up(&app, SB_LINK_SERIAL, now);
            }
            if (n > 0)
                sb_app_rx_serial(&app, buf, (size_t)n, now);
        }
        sb_app_poll(&app, now);
        if (sim_board.slept) {
            fprintf(stderr, "ball-sim: SLEEP received, the ball is off\n");
            break;
        }
        if (p.revents & POLLHUP)
            usleep(20000);
    }
    close(fd);
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: ball-sim [--seconds S] [--pty] [--autostart] [--rate 25|50|100|200]"
                    " [--channels MASK] [--seed N]\n");
}

int main(int argc, char **argv)
{
    double seconds = -1;
    int pty = 0, autostart = 0;
    long rate = 100, channels = SB_CH_ALL;
    unsigned long seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--pty") == 0) {
            pty = 1;
        } else if (strcmp(a, "--autostart") == 0) {
            autostart = 1;
        } else if (v && strcmp(a, "--seconds") == 0) {
            seconds = strtod(v, NULL);
            i++;
        } else if (v && strcmp(a, "--rate") == 0) {
            rate = strtol(v, NULL, 10);
            i++;
        } else if (v && strcmp(a, "--channels") == 0) {
            channels = strtol(v, NULL, 0);
            i++;
        } else if (v && strcmp(a, "--seed") == 0) {
            seed = strtoul(v, NULL, 10);
            i++;
        } else {
            usage();
            return 2;
        }
    }
    static sim_scenario_t scenario;
    sim_scenario_init(&scenario, (uint32_t)seed);
    sim_board_init(sim_scenario_truth, &scenario, NULL, NULL);
    const uint8_t start_args[3] = {(uint8_t)rate, (uint8_t)(rate >> 8), (uint8_t)channels};
    if (pty)
        return run_pty(seconds, autostart, start_args);
    return run_fast(seconds < 0 ? 10.0 : seconds, start_args);
}
