/* The ball's behaviour end to end through the port: what each command answers, what goes
 * out when, seq per link, BLE MTU rules, dropped-sample accounting. */
#include <math.h>

#include "sb_app.h"
#include "test_util.h"

static const_truth_t truth = {101325.0, 23.5, {0}, {0, 0, 1.0}, 0};
static sb_app_t app;
static uint64_t now;

static int setup(void **state)
{
    (void)state;
    cap_reset();
    sim_board_init(const_truth, &truth, cap_send, NULL);
    now = 0;
    sb_app_init(&app, now);
    return 0;
}

static void command(sb_link_t link, uint8_t op, uint8_t token, const uint8_t *args, size_t n)
{
    uint8_t frame[SB_MAX_FRAME], wire[SB_SERIAL_MAX];
    size_t len = sb_encode_command(frame, sizeof frame, 0, 0, op, token, args, n);
    if (link == SB_LINK_SERIAL) {
        size_t w = sb_serial_wrap(wire, sizeof wire, frame, len);
        sb_app_rx_serial(&app, wire, w, now);
    } else {
        sb_app_rx_frame(&app, link, frame, len, now);
    }
}

static void start(sb_link_t link, uint8_t token, uint16_t rate, uint8_t channels)
{
    const uint8_t args[3] = {(uint8_t)rate, (uint8_t)(rate >> 8), channels};
    command(link, SB_OP_START, token, args, 3);
}

static void advance(uint64_t until_us)
{
    for (; now < until_us;) {
        now += 1000;
        sim_board.now_us = now;
        sb_app_poll(&app, now);
    }
}

static const cap_frame_t *frame_at(sb_link_t l, size_t i)
{
    assert_true(i < cap.n[l]);
    return &cap.frame[l][i];
}

/* The result byte of the last REPLY on a link. */
static int last_reply(sb_link_t l, uint8_t token)
{
    for (size_t i = cap.n[l]; i-- > 0;) {
        const cap_frame_t *f = &cap.frame[l][i];
        if (f->data[0] == SB_MSG_REPLY) {
            assert_int_equal(f->data[9], token);
            return f->data[10];
        }
    }
    fail_msg("no REPLY");
    return -1;
}

static size_t count_type(sb_link_t l, uint8_t type)
{
    size_t n = 0;
    for (size_t i = 0; i < cap.n[l]; i++)
        n += cap.frame[l][i].data[0] == type;
    return n;
}

static void test_info_on_connect_then_start_reply_info_samples(void **state)
{
    (void)state;
    sb_app_link_up(&app, SB_LINK_SERIAL, now);
    /* INFO, then why the ball last reset (once per boot and link). */
    assert_int_equal(cap.n[SB_LINK_SERIAL], 2);
    const cap_frame_t *info = frame_at(SB_LINK_SERIAL, 0);
    assert_int_equal(info->data[0], SB_MSG_INFO);
    assert_int_equal(info->data[8 + 20], SB_CH_ALL);
    assert_memory_equal(info->data + 8 + 33, "SmartBall-EE42", 14);
    const cap_frame_t *log = frame_at(SB_LINK_SERIAL, 1);
    assert_int_equal(log->data[0], SB_MSG_LOG);
    assert_int_equal(log->data[8], 1);
    assert_memory_equal(log->data + 9, "reset: power on", 15);
    sb_app_link_down(&app, SB_LINK_SERIAL, now);
    sb_app_link_up(&app, SB_LINK_SERIAL, now);
    assert_int_equal(cap.n[SB_LINK_SERIAL], 3); /* INFO again, no second LOG */
    cap_reset();
    sb_app_link_down(&app, SB_LINK_SERIAL, now);
    app.link[SB_LINK_SERIAL].seq = 0;
    sb_app_link_up(&app, SB_LINK_SERIAL, now);

    start(SB_LINK_SERIAL, 7, 100, SB_CH_ALL);
    assert_int_equal(frame_at(SB_LINK_SERIAL, 1)->data[0], SB_MSG_REPLY);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 7), SB_OK);
    assert_int_equal(frame_at(SB_LINK_SERIAL, 2)->data[0], SB_MSG_INFO);
    advance(1000000);
    assert_int_equal(frame_at(SB_LINK_SERIAL, 3)->data[0], SB_MSG_SAMPLES);
    /* seq: +1 per frame, any type */
    for (size_t i = 0; i < cap.n[SB_LINK_SERIAL]; i++)
        assert_int_equal(sb_get_u16(frame_at(SB_LINK_SERIAL, i)->data + 2), i);
    assert_int_equal(count_type(SB_LINK_SERIAL, SB_MSG_STATUS), 1);
}

static void test_bad_arguments_and_unsupported(void **state)
{
    (void)state;
    sb_app_link_up(&app, SB_LINK_SERIAL, now);
    start(SB_LINK_SERIAL, 1, 60, SB_CH_ALL);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 1), SB_BAD_ARGUMENT);
    start(SB_LINK_SERIAL, 2, 100, 0);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 2), SB_BAD_ARGUMENT);
    start(SB_LINK_SERIAL, 3, 100, 0x08);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 3), SB_BAD_ARGUMENT);
    command(SB_LINK_SERIAL, SB_OP_START, 4, (const uint8_t *)"\x64", 1);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 4), SB_BAD_ARGUMENT);
    command(SB_LINK_SERIAL, SB_OP_STOP, 5, (const uint8_t *)"\x01", 1);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 5), SB_BAD_ARGUMENT);
    command(SB_LINK_SERIAL, 0x42, 6, NULL, 0);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 6), SB_UNSUPPORTED);
    assert_int_equal(count_type(SB_LINK_SERIAL, SB_MSG_INFO), 1); /* only the connect one */

    /* A board without its IMU: gyro is unsupported, pressure alone works. */
    cap_reset();
    sim_board.imu_present = 0;
    sb_app_init(&app, now);
    sb_app_link_up(&app, SB_LINK_SERIAL, now);
    start(SB_LINK_SERIAL, 8, 100, SB_CH_GYRO);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 8), SB_UNSUPPORTED);
    start(SB_LINK_SERIAL, 9, 100, SB_CH_PRESSURE);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 9), SB_OK);
    advance(1000000);
    const cap_frame_t *status = NULL;
    for (size_t i = 0; i < cap.n[SB_LINK_SERIAL]; i++)
        if (cap.frame[SB_LINK_SERIAL][i].data[0] == SB_MSG_STATUS)
            status = &cap.frame[SB_LINK_SERIAL][i];
    assert_non_null(status);
    assert_int_equal(status->data[11], SB_STATUS_IMU_FAULT);
}

static void test_periodic_status_and_info(void **state)
{
    (void)state;
    sb_app_link_up(&app, SB_LINK_SERIAL, now);
    advance(3000000);
    assert_int_equal(count_type(SB_LINK_SERIAL, SB_MSG_STATUS), 3);
    assert_int_equal(count_type(SB_LINK_SERIAL, SB_MSG_SAMPLES), 0); /* nothing before START */
    start(SB_LINK_SERIAL, 1, 50, SB_CH_ALL);
    advance(14000000);
    assert_int_equal(count_type(SB_LINK_SERIAL, SB_MSG_STATUS), 14);
    /* connect, START, then every 5 s of streaming: at 8 s and 13 s */
    assert_int_equal(count_type(SB_LINK_SERIAL, SB_MSG_INFO), 4);
    command(SB_LINK_SERIAL, SB_OP_INFO_REQUEST, 2, NULL, 0);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 2), SB_OK);
    assert_int_equal(frame_at(SB_LINK_SERIAL, cap.n[SB_LINK_SERIAL] - 1)->data[0], SB_MSG_INFO);
    /* 11 s at 50 Hz, and STOP flushes what was batched */
    command(SB_LINK_SERIAL, SB_OP_STOP, 3, NULL, 0);
    size_t samples = 0;
    for (size_t i = 0; i < cap.n[SB_LINK_SERIAL]; i++) {
        const cap_frame_t *f = &cap.frame[SB_LINK_SERIAL][i];
        if (f->data[0] == SB_MSG_SAMPLES) {
            assert_int_equal(sb_get_u32(f->data + 4), samples);
            samples += (f->len - 10) / 16;
        }
    }
    assert_int_equal(samples, 550);
}

static void test_ble_mtu_rules(void **state)
{
    (void)state;
    sb_app_link_up(&app, SB_LINK_SERIAL, now);
    sb_app_link_up(&app, SB_LINK_BLE, now);
    start(SB_LINK_BLE, 1, 200, SB_CH_ALL); /* ATT MTU still 23 */
    assert_int_equal(last_reply(SB_LINK_BLE, 1), SB_UNSUPPORTED);
    const cap_frame_t *log = frame_at(SB_LINK_SERIAL, cap.n[SB_LINK_SERIAL] - 1);
    assert_int_equal(log->data[0], SB_MSG_LOG);
    assert_int_equal(log->data[8], 2);
    assert_memory_equal(log->data + 9, "ATT MTU 23 < 72: not streaming", 30);

    sb_app_set_mtu(&app, 72, now);
    start(SB_LINK_BLE, 2, 200, SB_CH_ALL);
    assert_int_equal(last_reply(SB_LINK_BLE, 2), SB_OK);
    advance(1000000);
    size_t ble_samples = 0, serial_samples = 0;
    for (size_t i = 0; i < cap.n[SB_LINK_BLE]; i++) {
        const cap_frame_t *f = &cap.frame[SB_LINK_BLE][i];
        assert_true(f->len <= 69);
        if (f->data[0] == SB_MSG_SAMPLES)
            ble_samples += (f->len - 10) / 16;
    }
    for (size_t i = 0; i < cap.n[SB_LINK_SERIAL]; i++) {
        const cap_frame_t *f = &cap.frame[SB_LINK_SERIAL][i];
        if (f->data[0] == SB_MSG_SAMPLES)
            serial_samples += (f->len - 10) / 16;
    }
    /* 200 sampled; what is not out yet waits in the open batch */
    assert_int_equal(ble_samples, 200 - app.sched.batch_n);
    assert_int_equal(serial_samples, ble_samples); /* every link that is up gets the stream */

    /* The central renegotiates down: BLE stops getting samples, serial says why. */
    size_t before = count_type(SB_LINK_BLE, SB_MSG_SAMPLES);
    sb_app_set_mtu(&app, 50, now);
    assert_int_equal(frame_at(SB_LINK_SERIAL, cap.n[SB_LINK_SERIAL] - 1)->data[0], SB_MSG_LOG);
    advance(1500000);
    assert_int_equal(count_type(SB_LINK_BLE, SB_MSG_SAMPLES), before);
}

static void test_full_link_counts_dropped_samples(void **state)
{
    (void)state;
    sb_app_link_up(&app, SB_LINK_BLE, now);
    sb_app_set_mtu(&app, 247, now);
    start(SB_LINK_BLE, 1, 100, SB_CH_ALL);
    advance(500000);
    cap.refuse[SB_LINK_BLE] = 1; /* the notification queue is full for 200 ms */
    advance(700000);
    cap.refuse[SB_LINK_BLE] = 0;
    advance(1000000);
    const cap_frame_t *status = NULL;
    uint32_t next = 0, gap = 0;
    for (size_t i = 0; i < cap.n[SB_LINK_BLE]; i++) {
        const cap_frame_t *f = &cap.frame[SB_LINK_BLE][i];
        if (f->data[0] == SB_MSG_STATUS)
            status = f;
        if (f->data[0] == SB_MSG_SAMPLES) {
            gap += sb_get_u32(f->data + 4) - next;
            next = sb_get_u32(f->data + 4) + (uint32_t)((f->len - 10) / 16);
        }
    }
    assert_non_null(status);
    /* 20 samples found the queue full; the first 14 (one 244-byte notification at ATT MTU
     * 247) waited for room and went out whole, the rest were dropped and counted. */
    assert_int_equal(gap, 20 - 14);
    assert_int_equal(sb_get_u32(status->data + 12), gap);
    /* seq stays contiguous: the frames were never sent */
    for (size_t i = 1; i < cap.n[SB_LINK_BLE]; i++)
        assert_int_equal(sb_get_u16(frame_at(SB_LINK_BLE, i)->data + 2),
                         (uint16_t)(sb_get_u16(frame_at(SB_LINK_BLE, i - 1)->data + 2) + 1));
}

/* The BLE link as the SoftDevice runs it: a notification queue of SB_TEST_HVN_QUEUE (the
 * XIAO layer's hvn_qsize), emptied at each connection event by up to per_event
 * notifications (3: 244-byte notifications on the 1M PHY with data length extension fill a
 * 7.5 ms event), every interval_us. */
#define SB_TEST_HVN_QUEUE 8u
typedef struct {
    uint64_t interval_us, next_event_us;
    unsigned queued, per_event, sent;
} ble_link_model_t;

static ble_link_model_t ble_model;

static void test_ble_batches_up_to_the_mtu_at_every_connection_interval(void **state)
{
    (void)state;
    static const unsigned interval_ms[] = {15, 30, 50, 75, 100};
    static const uint16_t rates[] = {100, 200};
    for (size_t r = 0; r < 2; r++) {
        for (size_t k = 0; k < sizeof interval_ms / sizeof interval_ms[0]; k++) {
            cap_reset();
            sb_app_init(&app, now);
            memset(&ble_model, 0, sizeof ble_model);
            ble_model.interval_us = interval_ms[k] * 1000u;
            ble_model.next_event_us = now + ble_model.interval_us;
            ble_model.per_event = 3;
            sb_app_link_up(&app, SB_LINK_BLE, now);
            sb_app_set_mtu(&app, 247, now);
            start(SB_LINK_BLE, 1, rates[r], SB_CH_ALL);
            size_t seen = cap.n[SB_LINK_BLE];
            ble_model.queued = (unsigned)seen; /* INFO, REPLY, INFO */
            uint64_t end = now + 5000000u;
            while (now < end) {
                now += 1000;
                sim_board.now_us = now;
                if (now >= ble_model.next_event_us) {
                    unsigned n = ble_model.queued < ble_model.per_event ? ble_model.queued
                                                                        : ble_model.per_event;
                    ble_model.queued -= n;
                    ble_model.next_event_us += ble_model.interval_us;
                }
                cap.refuse[SB_LINK_BLE] = ble_model.queued >= SB_TEST_HVN_QUEUE;
                sb_app_ble_in_flight(&app, ble_model.queued);
                sb_app_poll(&app, now);
                ble_model.queued += (unsigned)(cap.n[SB_LINK_BLE] - seen);
                seen = cap.n[SB_LINK_BLE];
            }
            uint32_t next = 0, gap = 0, dropped = 0;
            for (size_t i = 0; i < cap.n[SB_LINK_BLE]; i++) {
                const cap_frame_t *f = &cap.frame[SB_LINK_BLE][i];
                assert_true(f->len <= 244);
                if (f->data[0] == SB_MSG_STATUS)
                    dropped = sb_get_u32(f->data + 12);
                if (f->data[0] == SB_MSG_SAMPLES) {
                    gap += sb_get_u32(f->data + 4) - next;
                    next = sb_get_u32(f->data + 4) + (uint32_t)((f->len - 10) / 16);
                }
            }
            assert_int_equal(gap, 0);
            assert_int_equal(dropped, 0);
            assert_true(next >= 5u * rates[r] - 30u); /* all but the last batches are out */
        }
    }
}

static void test_identify_sleep_busy(void **state)
{
    (void)state;
    sb_app_link_up(&app, SB_LINK_SERIAL, now);
    command(SB_LINK_SERIAL, SB_OP_IDENTIFY, 1, NULL, 0);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 1), SB_OK);
    advance(100000); /* on for 125 ms, off for 125 ms */
    assert_true(sim_board.led);
    advance(200000);
    assert_false(sim_board.led);
    command(SB_LINK_SERIAL, SB_OP_IDENTIFY, 2, NULL, 0);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 2), SB_BUSY);
    advance(2100000);
    assert_false(sim_board.led);
    command(SB_LINK_SERIAL, SB_OP_IDENTIFY, 7, NULL, 0);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 7), SB_OK);
    advance(2150000);

    start(SB_LINK_SERIAL, 3, 100, SB_CH_ALL);
    command(SB_LINK_SERIAL, SB_OP_SLEEP, 4, NULL, 0);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 4), SB_BUSY);
    advance(2200000);
    assert_int_equal(sim_board.slept, 0);
    command(SB_LINK_SERIAL, SB_OP_STOP, 5, NULL, 0);
    command(SB_LINK_SERIAL, SB_OP_SLEEP, 6, NULL, 0);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 6), SB_OK);
    advance(2201000);
    assert_int_equal(sim_board.slept, 1);
    /* The ball went to sleep with the IMU's wake-up interrupt armed. */
    assert_true(app.wake_armed);
    assert_int_equal(sim_board.imu.reg[LSM6DS3_REG_MD1_CFG], LSM6DS3_MD1_INT1_WU);
}

static void test_sleep_without_imu_says_how_to_wake(void **state)
{
    (void)state;
    sim_board.imu_present = 0;
    sb_app_init(&app, now);
    sb_app_link_up(&app, SB_LINK_SERIAL, now);
    command(SB_LINK_SERIAL, SB_OP_SLEEP, 1, NULL, 0);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 1), SB_OK);
    advance(now + 1000);
    assert_int_equal(sim_board.slept, 1);
    assert_false(app.wake_armed);
    const cap_frame_t *log = frame_at(SB_LINK_SERIAL, cap.n[SB_LINK_SERIAL] - 1);
    assert_int_equal(log->data[0], SB_MSG_LOG);
    assert_memory_equal(log->data + 9, "no wake on motion", 17);
}

/* Ten minutes with no link and no stream: asleep, wake on motion armed. A link that is up,
 * or a stream, keeps it awake. */
static void test_idle_ball_goes_to_sleep(void **state)
{
    (void)state;
    sb_app_link_up(&app, SB_LINK_SERIAL, now);
    advance(SB_IDLE_SLEEP_US + 2000000u);
    assert_int_equal(sim_board.slept, 0); /* a host is there */
    sb_app_link_down(&app, SB_LINK_SERIAL, now);
    uint64_t down = now;
    advance(down + SB_IDLE_SLEEP_US - 1000u);
    assert_int_equal(sim_board.slept, 0);
    advance(down + SB_IDLE_SLEEP_US + 2000u);
    assert_int_equal(sim_board.slept, 1);
    assert_true(app.wake_armed);
    /* A board whose sleep returned (System OFF refused): the ball stays awake and tries again
     * only after another idle period, not every other poll with the IMU re-armed (80 ms of
     * blocking each time). */
    uint64_t back = now;
    advance(back + 60000000u);
    assert_int_equal(sim_board.slept, 1);
    advance(back + SB_IDLE_SLEEP_US + 2000u);
    assert_int_equal(sim_board.slept, 2);
}

/* STATUS carries the charging flag the board reports, and battery low from the percent. */
static void test_status_charging_and_battery_flags(void **state)
{
    (void)state;
    sb_app_link_up(&app, SB_LINK_SERIAL, now);
    sim_board.charging = 1;
    advance(1000000);
    const cap_frame_t *st = frame_at(SB_LINK_SERIAL, cap.n[SB_LINK_SERIAL] - 1);
    assert_int_equal(st->data[0], SB_MSG_STATUS);
    assert_int_equal(sb_get_u16(st->data + 8), 3900);
    assert_int_equal(st->data[11] & (SB_STATUS_CHARGING | SB_STATUS_BATTERY_LOW), SB_STATUS_CHARGING);
    sim_board.charging = 0;
    sim_board.battery_percent = 8;
    advance(2000000);
    st = frame_at(SB_LINK_SERIAL, cap.n[SB_LINK_SERIAL] - 1);
    assert_int_equal(st->data[11] & (SB_STATUS_CHARGING | SB_STATUS_BATTERY_LOW), SB_STATUS_BATTERY_LOW);
}

/* The XIAO's divider (1 M / 510 k) into a 12-bit SAADC with 3.0 V (XIAO layer) or 3.6 V
 * (bare port) full scale: 3.0, 3.7 and 4.2 V come back within one ADC step (2.2 / 2.6 mV).
 * raw * 3000 * 1510 overflowed 32 bits above raw 948: 3.7 V read 1641 mV, 4.2 V 86 mV. */
static void test_battery_millivolts_from_adc(void **state)
{
    (void)state;
    const double volts[] = {3.0, 3.7, 4.2};
    const uint32_t full_scale_mv[] = {3000, 3600};
    for (size_t f = 0; f < 2; f++) {
        double step_mv = full_scale_mv[f] / 4096.0 * 1510.0 / 510.0;
        for (size_t i = 0; i < 3; i++) {
            int32_t raw = (int32_t)(volts[i] * 510.0 / 1510.0 / (full_scale_mv[f] / 1000.0) * 4096.0 + 0.5);
            uint16_t mv = sb_adc_to_mv(raw, 4096, full_scale_mv[f], 1510, 510);
            assert_true(fabs(mv - volts[i] * 1000.0) <= step_mv);
        }
    }
    assert_int_equal(sb_adc_to_mv(4095, 4096, 3000, 1510, 510), 8880);
    assert_int_equal(sb_adc_to_mv(0, 4096, 3000, 1510, 510), 0);
    assert_int_equal(sb_adc_to_mv(-3, 4096, 3000, 1510, 510), 0); /* SAADC noise below 0 V */
    assert_int_equal(sb_adc_to_mv(0x7FFFFFFF, 4096, 3600, 1510, 510), 0xFFFF);
}

static void test_same_start_keeps_stream_new_start_restarts(void **state)
{
    (void)state;
    sb_app_link_up(&app, SB_LINK_SERIAL, now);
    start(SB_LINK_SERIAL, 1, 100, SB_CH_ALL);
    advance(500000);
    start(SB_LINK_SERIAL, 2, 100, SB_CH_ALL); /* a host reconnecting */
    assert_int_equal(last_reply(SB_LINK_SERIAL, 2), SB_OK);
    advance(600000);
    uint32_t last_first = 0;
    for (size_t i = 0; i < cap.n[SB_LINK_SERIAL]; i++)
        if (cap.frame[SB_LINK_SERIAL][i].data[0] == SB_MSG_SAMPLES)
            last_first = sb_get_u32(cap.frame[SB_LINK_SERIAL][i].data + 4);
    assert_true(last_first > 50); /* indices went on */
    start(SB_LINK_SERIAL, 3, 200, SB_CH_PRESSURE);
    advance(700000);
    const cap_frame_t *f = frame_at(SB_LINK_SERIAL, cap.n[SB_LINK_SERIAL] - 1);
    assert_int_equal(f->data[0], SB_MSG_SAMPLES);
    assert_int_equal(f->data[1], SB_CH_PRESSURE);
    assert_true(sb_get_u32(f->data + 4) < 20); /* a new stream from index 0 */
}

static void test_ble_info_waits_for_mtu_exchange(void **state)
{
    (void)state;
    sb_app_link_up(&app, SB_LINK_BLE, now); /* subscribed before the MTU exchange */
    assert_int_equal(count_type(SB_LINK_BLE, SB_MSG_INFO), 0);
    sb_app_set_mtu(&app, 247, now);
    assert_int_equal(count_type(SB_LINK_BLE, SB_MSG_INFO), 1);
    assert_int_equal(sb_get_u16(frame_at(SB_LINK_BLE, 0)->data + 2), 0);
    sb_app_set_mtu(&app, 185, now); /* a later change does not repeat it */
    assert_int_equal(count_type(SB_LINK_BLE, SB_MSG_INFO), 1);
}

static void test_serial_garbage_costs_only_itself(void **state)
{
    (void)state;
    uint8_t frame[SB_MAX_FRAME], wire[SB_SERIAL_MAX];
    const uint8_t noise[] = {0x00, 0x13, 0x37, 0xFF, 0x00, 0x00, 0x42, 0x00};
    sb_app_link_up(&app, SB_LINK_SERIAL, now);
    sb_app_rx_serial(&app, noise, sizeof noise, now);
    size_t len = sb_encode_command(frame, sizeof frame, 0, 0, SB_OP_INFO_REQUEST, 9, NULL, 0);
    size_t w = sb_serial_wrap(wire, sizeof wire, frame, len);
    wire[1] ^= 0x20; /* a corrupted command (its type byte): no reply */
    sb_app_rx_serial(&app, wire, w, now);
    assert_int_equal(count_type(SB_LINK_SERIAL, SB_MSG_REPLY), 0);
    /* the next good one, split across two reads, is answered */
    w = sb_serial_wrap(wire, sizeof wire, frame, len);
    sb_app_rx_serial(&app, wire, 5, now);
    sb_app_rx_serial(&app, wire + 5, w - 5, now);
    assert_int_equal(last_reply(SB_LINK_SERIAL, 9), SB_OK);
    assert_int_equal(app.rx.crc_errors, 1);
    assert_int_equal(app.rx.malformed, 2); /* the two packets of noise */
}

static void test_lipo_curve(void **state)
{
    (void)state;
    assert_int_equal(sb_lipo_percent(3000), 0);
    assert_int_equal(sb_lipo_percent(3700), 24);
    assert_int_equal(sb_lipo_percent(3750), 35);
    assert_int_equal(sb_lipo_percent(4250), 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_info_on_connect_then_start_reply_info_samples, setup),
        cmocka_unit_test_setup(test_bad_arguments_and_unsupported, setup),
        cmocka_unit_test_setup(test_periodic_status_and_info, setup),
        cmocka_unit_test_setup(test_ble_mtu_rules, setup),
        cmocka_unit_test_setup(test_full_link_counts_dropped_samples, setup),
        cmocka_unit_test_setup(test_ble_batches_up_to_the_mtu_at_every_connection_interval, setup),
        cmocka_unit_test_setup(test_identify_sleep_busy, setup),
        cmocka_unit_test_setup(test_same_start_keeps_stream_new_start_restarts, setup),
        cmocka_unit_test_setup(test_ble_info_waits_for_mtu_exchange, setup),
        cmocka_unit_test_setup(test_serial_garbage_costs_only_itself, setup),
        cmocka_unit_test_setup(test_lipo_curve, setup),
        cmocka_unit_test_setup(test_sleep_without_imu_says_how_to_wake, setup),
        cmocka_unit_test_setup(test_status_charging_and_battery_flags, setup),
        cmocka_unit_test_setup(test_idle_ball_goes_to_sleep, setup),
        cmocka_unit_test_setup(test_battery_millivolts_from_adc, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
