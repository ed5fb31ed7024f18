/* ball-sim: the firmware core running on the host against simulated BMP390 and LSM6DS3
 * register maps, speaking the serial protocol.
 *   ball-sim [--seconds S] [--rate HZ] [--channels MASK] [--seed N]
 *       as fast as possible, S seconds of stream to stdout (started as a host would, with
 *       a START command through the serial receiver), then STOP.
 *   ball-sim --pty [--seconds S] [--autostart] ...
 *       a pseudo-terminal in real time; prints its path, then waits for commands.
 * What a sealed ball meets, in the stdout mode:
 *   --fault bmp-reset|i2c-stuck|nack --fault-at S   the BMP390 resets (answers, streams
 *       nothing), a device holds SDA low, or the BMP390 does not answer for 0.4 s
 *   --clock-error PCT        the BMP390's oscillator off by PCT % (-2..2: its datasheet)
 *   --stall-at S --stall-s D the MCU blocked for D seconds at S (nobody reads the FIFO)
 *   --ble-interval-ms N [--ble-per-event K]   the stream over BLE instead of serial: a
 *       notification queue of 8 emptied by K notifications (3) at each connection event
 *       every N ms; each notification goes to stdout as a serial envelope, for the decoder
 * At the end, one line on stderr: "ball-sim: sensor lost N samples" (the model's truth). */
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

typedef struct {
    const char *fault;
    double fault_at_s, stall_at_s, stall_s;
    double ble_interval_ms;
    unsigned ble_per_event;
} run_opts_t;

/* The BLE link: the SoftDevice's queue (8, the XIAO layer's hvn_qsize) and its events. */
static struct {
    unsigned queued, per_event;
    uint64_t interval_us, next_event_us;
} ble;

static int send_ble(void *ctx, sb_link_t link, const uint8_t *data, size_t len)
{
    (void)ctx;
    if (link != SB_LINK_BLE || ble.queued >= 8)
        return -1;
    uint8_t wire[SB_SERIAL_MAX];
    size_t n = sb_serial_wrap(wire, sizeof wire, data, len);
    if (fwrite(wire, 1, n, stdout) != n)
        return -1;
    ble.queued++;
    return 0;
}

static void ble_command(uint8_t op, const uint8_t *args, size_t n, uint64_t now_us)
{
    static uint8_t token = 1;
    uint8_t frame[SB_MAX_FRAME];
    size_t len = sb_encode_command(frame, sizeof frame, 0, 0, op, token++, args, n);
    sb_app_rx_frame(&app, SB_LINK_BLE, frame, len, now_us);
}

static void inject(const run_opts_t *o, uint64_t t)
{
    if (!o->fault)
        return;
    if (strcmp(o->fault, "bmp-reset") == 0)
        sim_bmp390_reset(&sim_board.baro, t);
    else if (strcmp(o->fault, "i2c-stuck") == 0)
        sim_board.stuck_sda[SB_BUS_EXTERNAL] = 1;
    else
        sim_board.baro_nack_until_us = t + 400000u;
}

static int run_fast(double seconds, const uint8_t start_args[3], const run_opts_t *o)
{
    int over_ble = o->ble_interval_ms > 0;
    sim_board.send = over_ble ? send_ble : send_stdout;
    uint64_t end = (uint64_t)(seconds * 1e6 + 0.5);
    uint64_t fault_at = o->fault ? (uint64_t)(o->fault_at_s * 1e6) : UINT64_MAX;
    uint64_t stall_at = o->stall_s > 0 ? (uint64_t)(o->stall_at_s * 1e6) : UINT64_MAX;
    sb_app_init(&app, 0);
    if (over_ble) {
        ble.interval_us = (uint64_t)(o->ble_interval_ms * 1000.0);
        ble.next_event_us = ble.interval_us;
        ble.per_event = o->ble_per_event;
        sb_app_link_up(&app, SB_LINK_BLE, 0);
        sb_app_set_mtu(&app, 247, 0);
        ble_command(SB_OP_START, start_args, 3, 0);
    } else {
        sb_app_link_up(&app, SB_LINK_SERIAL, 0);
        host_command(SB_OP_START, start_args, 3, 0);
    }
    for (uint64_t t = 1000; t <= end; t += 1000) {
        if (t >= stall_at) { /* the MCU blocked: the sensors go on, nobody reads them */
            t += (uint64_t)(o->stall_s * 1e6);
            stall_at = UINT64_MAX;
        }
        sim_board.now_us = t;
        if (t >= fault_at) {
            inject(o, t);
            fault_at = UINT64_MAX;
        }
        if (over_ble) {
            while (t >= ble.next_event_us) {
                ble.queued -= ble.queued < ble.per_event ? ble.queued : ble.per_event;
                ble.next_event_us += ble.interval_us;
            }
            sb_app_ble_in_flight(&app, ble.queued);
        }
        sb_app_poll(&app, t);
    }
    if (over_ble)
        ble_command(SB_OP_STOP, NULL, 0, end);
    else
        host_command(SB_OP_STOP, NULL, 0, end);
    fprintf(stderr, "ball-sim: sensor lost %llu samples\n",
            (unsigned long long)sim_board.baro.lost_total);
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
                    " [--channels MASK] [--seed N] [--fault bmp-reset|i2c-stuck|nack]"
                    " [--fault-at S] [--clock-error PCT] [--stall-at S --stall-s D]"
                    " [--ble-interval-ms N [--ble-per-event K]] [--pa-per-n X]\n");
}

int main(int argc, char **argv)
{
    double seconds = -1;
    int pty = 0, autostart = 0;
    long rate = 100, channels = SB_CH_ALL;
    unsigned long seed = 1;
    double clock_error_pct = 0;
    double pa_per_n = 0; /* 0: the scenario's own (the reference ball) */
    run_opts_t o = {NULL, 4.0, 0, 0, 0, 3};
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
        } else if (v && strcmp(a, "--fault") == 0) {
            o.fault = v;
            i++;
        } else if (v && strcmp(a, "--fault-at") == 0) {
            o.fault_at_s = strtod(v, NULL);
            i++;
        } else if (v && strcmp(a, "--pa-per-n") == 0) {
            /* A stiffer ball: its hold reads past the sensor's end (1250 hPa). */
            pa_per_n = strtod(v, NULL);
            i++;
        } else if (v && strcmp(a, "--clock-error") == 0) {
            clock_error_pct = strtod(v, NULL);
            i++;
        } else if (v && strcmp(a, "--stall-at") == 0) {
            o.stall_at_s = strtod(v, NULL);
            i++;
        } else if (v && strcmp(a, "--stall-s") == 0) {
            o.stall_s = strtod(v, NULL);
            i++;
        } else if (v && strcmp(a, "--ble-interval-ms") == 0) {
            o.ble_interval_ms = strtod(v, NULL);
            i++;
        } else if (v && strcmp(a, "--ble-per-event") == 0) {
            o.ble_per_event = (unsigned)strtoul(v, NULL, 10);
            i++;
        } else {
            usage();
            return 2;
        }
    }
    if (o.fault && strcmp(o.fault, "bmp-reset") != 0 && strcmp(o.fault, "i2c-stuck") != 0 &&
        strcmp(o.fault, "nack") != 0) {
        fprintf(stderr, "ball-sim: --fault %s is not a fault: use bmp-reset, i2c-stuck or nack\n",
                o.fault);
        return 2;
    }
    if (clock_error_pct < -5 || clock_error_pct > 5 || o.ble_per_event == 0) {
        fprintf(stderr, "ball-sim: --clock-error is a percentage within +-5, --ble-per-event at "
                        "least 1\n");
        return 2;
    }
    static sim_scenario_t scenario;
    sim_scenario_init(&scenario, (uint32_t)seed);
    if (pa_per_n > 0)
        scenario.pa_per_n = pa_per_n;
    sim_board_init(sim_scenario_truth, &scenario, NULL, NULL);
    sim_board.baro.clock_scale = 1.0 + clock_error_pct / 100.0;
    const uint8_t start_args[3] = {(uint8_t)rate, (uint8_t)(rate >> 8), (uint8_t)channels};
    if (pty)
        return run_pty(seconds, autostart, start_args);
    return run_fast(seconds < 0 ? 10.0 : seconds, start_args, &o);
}
