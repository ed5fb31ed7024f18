/* The scheduler against the sensor models: numbering, batching by time and by size, loss
 * accounting on FIFO overflow, IMU resampling onto the pressure clock. */
#include <math.h>
#include <stdlib.h>

#include "sb_app.h"
#include "sb_sched.h"
#include "test_util.h"

typedef struct {
    uint32_t first;
    uint8_t flags;
    int16_t temp;
    size_t count;
    sb_record_t rec[128];
} got_batch_t;

static got_batch_t got[2048];
static size_t n_got;
static const_truth_t truth;
static sb_app_t app; /* only for its driver wiring (sb_app_init probes the sensors) */

static void collect(void *ctx, const sb_batch_t *b)
{
    (void)ctx;
    assert_true(n_got < 2048);
    got_batch_t *g = &got[n_got++];
    g->first = b->first_index;
    g->flags = b->flags;
    g->temp = b->temperature_cdeg;
    g->count = b->count;
    uint8_t ch = b->flags & SB_CH_ALL;
    size_t size = sb_record_size(ch);
    assert_int_equal(b->len, size * b->count);
    for (size_t k = 0; k < b->count; k++) {
        const uint8_t *p = b->records + k * size;
        sb_record_t *r = &g->rec[k];
        memset(r, 0, sizeof *r);
        if (ch & SB_CH_PRESSURE) {
            r->pressure_cpa = sb_get_u32(p);
            p += 4;
        }
        for (int a = 0; a < 3 && (ch & SB_CH_GYRO); a++, p += 2)
            r->gyro[a] = (int16_t)sb_get_u16(p);
        for (int a = 0; a < 3 && (ch & SB_CH_ACCEL); a++, p += 2)
            r->accel[a] = (int16_t)sb_get_u16(p);
    }
}

static sb_sched_t *sched(void)
{
    return &app.sched;
}

static int setup(void **state)
{
    (void)state;
    truth = (const_truth_t){101325.0, 23.5, {10.0, 0, 0}, {0, 0, 1.0}, 0};
    sim_board_init(const_truth, &truth, NULL, NULL);
    sb_app_init(&app, 0);
    sb_sched_init(&app.sched, app.have_baro ? &app.baro : NULL, app.have_imu ? &app.imu : NULL,
                  collect, NULL);
    n_got = 0;
    return 0;
}

static void run(uint64_t from_us, uint64_t to_us)
{
    for (uint64_t t = from_us; t <= to_us; t += 1000) {
        sim_board.now_us = t;
        sb_sched_poll(sched(), t);
    }
}

static size_t total(void)
{
    size_t n = 0;
    for (size_t i = 0; i < n_got; i++)
        n += got[i].count;
    return n;
}

static void test_contiguous_batches_of_20ms(void **state)
{
    (void)state;
    assert_int_equal(sb_sched_start(sched(), 100, SB_CH_ALL, 0), 0);
    run(1000, 1000000);
    sb_sched_stop(sched(), 1000000);
    assert_int_equal(total(), 100);
    uint32_t next = 0;
    for (size_t i = 0; i < n_got; i++) {
        assert_int_equal(got[i].first, next);
        assert_int_equal(got[i].count, 2); /* 2 x 10 ms */
        assert_int_equal(got[i].flags, SB_CH_ALL);
        assert_int_equal(got[i].temp, 2350);
        for (size_t k = 0; k < got[i].count; k++) {
            assert_true(labs((long)got[i].rec[k].pressure_cpa - 10132500L) <= 20);
            assert_int_equal(got[i].rec[k].gyro[0], 143);
            assert_int_equal(got[i].rec[k].accel[2], 8197);
        }
        next += (uint32_t)got[i].count;
    }
}

static void test_rates_and_size_limit(void **state)
{
    (void)state;
    assert_int_equal(sb_sched_start(sched(), 25, SB_CH_PRESSURE, 0), 0);
    assert_int_equal(sim_board.imu.reg[0x11], 0); /* the IMU stays off when not asked for */
    run(1000, 1000000);
    assert_int_equal(total(), 25);
    assert_int_equal(got[0].count, 1); /* 40 ms per sample: one per frame */
    sb_sched_stop(sched(), 1000000);

    n_got = 0;
    sim_board.now_us = 2000000;
    assert_int_equal(sb_sched_start(sched(), 200, SB_CH_ALL, 2000000), 0);
    /* An ATT MTU of 72 leaves 69 bytes: 3 records of 16 bytes. */
    sb_sched_set_max_records(sched(), sb_records_fit(SB_CH_ALL, 69), 2000000);
    run(2001000, 3000000);
    sb_sched_stop(sched(), 3000000);
    assert_int_equal(total(), 200);
    for (size_t i = 0; i < n_got; i++)
        assert_true(got[i].count <= 3);
}

static void test_overflow_gap_is_exact_and_flagged(void **state)
{
    (void)state;
    assert_int_equal(sb_sched_start(sched(), 200, SB_CH_ALL, 0), 0);
    run(1000, 100000);
    /* The host of the loop went away for a second: 200 samples, the FIFO holds 73. */
    run(1100000, 1200000);
    sb_sched_stop(sched(), 1200000);
    size_t gap_at = 0;
    uint32_t lost = 0;
    for (size_t i = 1; i < n_got; i++) {
        uint32_t expect = got[i - 1].first + (uint32_t)got[i - 1].count;
        if (got[i].first != expect) {
            gap_at = i;
            lost = got[i].first - expect;
        }
    }
    assert_true(gap_at > 0);
    assert_true(got[gap_at].flags & SB_SAMPLES_FIFO_OVERFLOW);
    assert_int_equal(sched()->dropped, lost);
    /* 1.1 s at 200 Hz = 220 samples were produced by the time of the gap; 73 were kept. */
    assert_int_equal(lost, 220 - 20 - 73);
    /* Every sample up to the end is accounted for: received + lost = 240. */
    assert_int_equal(total() + lost, 240);
}

static void test_imu_resampled_onto_pressure_clock(void **state)
{
    (void)state;
    truth.gyro_slope = 100.0; /* gyro x = 100 dps per second of time */
    assert_int_equal(sb_sched_start(sched(), 100, SB_CH_GYRO | SB_CH_PRESSURE, 0), 0);
    run(1000, 2000000);
    sb_sched_stop(sched(), 2000000);
    assert_int_equal(total(), 200);
    for (size_t i = 0; i < n_got; i++) {
        for (size_t k = 0; k < got[i].count; k++) {
            double t_s = (double)(got[i].first + k + 1) * 0.01;
            double dps = got[i].rec[k].gyro[0] * 0.07;
            /* within about two IMU periods of the pressure sample's time */
            assert_true(fabs(dps - (10.0 + 100.0 * t_s)) < 100.0 * 0.02);
        }
    }
}

static void test_imu_only_board_uses_imu_clock(void **state)
{
    (void)state;
    sim_board.baro_present = 0;
    sb_app_init(&app, 0);
    sb_sched_init(&app.sched, NULL, &app.imu, collect, NULL);
    assert_int_equal(sb_sched_start(sched(), 100, SB_CH_PRESSURE, 0), -2);
    assert_int_equal(sb_sched_start(sched(), 100, SB_CH_GYRO | SB_CH_ACCEL, 0), 0);
    assert_int_equal(sched()->period_us, 9615);
    run(1000, 1004000); /* the 104th set is due at 999.99 ms */
    sb_sched_stop(sched(), 1004000);
    assert_int_equal(total(), 104);
}

static void test_bus_failure_is_a_fault(void **state)
{
    (void)state;
    assert_int_equal(sb_sched_start(sched(), 100, SB_CH_ALL, 0), 0);
    run(1000, 50000);
    sim_board.fail_bus = 1;
    run(51000, 100000);
    assert_true(sched()->faults & SB_FAULT_BARO);
    sim_board.fail_bus = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_contiguous_batches_of_20ms, setup),
        cmocka_unit_test_setup(test_rates_and_size_limit, setup),
        cmocka_unit_test_setup(test_overflow_gap_is_exact_and_flagged, setup),
        cmocka_unit_test_setup(test_imu_resampled_onto_pressure_clock, setup),
        cmocka_unit_test_setup(test_imu_only_board_uses_imu_clock, setup),
        cmocka_unit_test_setup(test_bus_failure_is_a_fault, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
