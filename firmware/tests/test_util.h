/* Shared by the unit tests: a capture of what the core sends on each link, decoded back
 * into frames (serial through the real deframer), and a scenario with known values. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sb_frame.h"
#include "sim_board.h"

#define CAP_FRAMES 4096

typedef struct {
    uint8_t data[SB_MAX_FRAME];
    size_t len;
} cap_frame_t;

typedef struct {
    cap_frame_t frame[SB_LINK_COUNT][CAP_FRAMES];
    size_t n[SB_LINK_COUNT];
    sb_deframer_t rx;
    int refuse[SB_LINK_COUNT]; /* non-zero: the link reports "no room" */
} capture_t;

static capture_t cap;

static inline int cap_send(void *ctx, sb_link_t link, const uint8_t *data, size_t len)
{
    (void)ctx;
    if (cap.refuse[link])
        return -1;
    assert_true(cap.n[link] < CAP_FRAMES);
    cap_frame_t *f = &cap.frame[link][cap.n[link]];
    if (link == SB_LINK_BLE) {
        assert_true(len <= SB_MAX_FRAME);
        memcpy(f->data, data, len);
        f->len = len;
        cap.n[link]++;
        return 0;
    }
    /* One serial send is exactly one whole envelope. */
    assert_int_equal(data[len - 1], 0);
    for (size_t i = 0; i < len; i++) {
        size_t n = sb_deframer_feed(&cap.rx, data[i], f->data, sizeof f->data);
        if (n) {
            f->len = n;
            cap.n[link]++;
            assert_int_equal(i, len - 1);
        }
    }
    assert_int_equal(cap.rx.crc_errors + cap.rx.malformed, 0);
    return 0;
}

static inline void cap_reset(void)
{
    memset(&cap, 0, sizeof cap);
}

/* Constant truth: easy to check against. */
typedef struct {
    double pressure_pa, temp_c, gyro_dps[3], accel_g[3];
    double gyro_slope; /* dps per second on x: lets tests see which instant a record holds */
} const_truth_t;

static inline void const_truth(void *user, uint64_t t_us, sim_truth_t *out)
{
    const const_truth_t *c = user;
    out->pressure_pa = c->pressure_pa;
    out->temp_c = c->temp_c;
    for (int i = 0; i < 3; i++) {
        out->gyro_dps[i] = c->gyro_dps[i];
        out->accel_g[i] = c->accel_g[i];
    }
    out->gyro_dps[0] += c->gyro_slope * (double)t_us / 1e6;
}

#endif
