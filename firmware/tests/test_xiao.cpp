/* The XIAO nRF52840 Sense board layer itself (smartball_xiao.cpp), run on the host against
 * a fake of the Arduino core, Wire and Bluefruit (xiao_fake.cpp) with the sensor models
 * behind the I2C buses: pins it configures, battery and charging in STATUS, serial frames
 * larger than the CDC FIFO, BLE sends that never wait, and going to sleep with wake on motion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <math.h>

extern "C" {
#include <cmocka.h>
}

#include <Arduino.h>

#include "sb_app.h"
#include "xiao_fake.h"

static sim_truth_t rest = {101325.0, 23.5, {0, 0, 0}, {0, 0, 1.0}};

static void const_truth(void *user, uint64_t t_us, sim_truth_t *out)
{
    (void)t_us;
    *out = *(const sim_truth_t *)user;
}

static int setup_board(void **state)
{
    (void)state;
    fake_reset(const_truth, &rest);
    setup();
    return 0;
}

/* Links down and the board told so, so the next test starts from a quiet board. */
static int teardown_board(void **state)
{
    (void)state;
    fake.dtr = false;
    if (fake.connected && fake.disconnect_cb) {
        fake.connected = false;
        fake.disconnect_cb(0, 0x13);
    }
    loop();
    return 0;
}

static void run_for(uint64_t us)
{
    uint64_t end = fake.now_us + us;
    while (fake.now_us < end)
        loop(); /* loop() ends with delay(1): 1 ms per pass */
}

/* Frames the host has read so far, through the real deframer. */
static size_t host_frames(uint8_t frames[][SB_MAX_FRAME], size_t *lens, size_t cap)
{
    static sb_deframer_t d;
    sb_deframer_reset(&d);
    size_t n = 0;
    for (size_t i = 0; i < fake.host_rx_len && n < cap; i++) {
        size_t len = sb_deframer_feed(&d, fake.host_rx[i], frames[n], SB_MAX_FRAME);
        if (len)
            lens[n++] = len;
    }
    assert_int_equal(d.crc_errors + d.malformed, 0);
    return n;
}

static void host_command(uint8_t op, const uint8_t *args, size_t n)
{
    uint8_t frame[SB_MAX_FRAME], wire[SB_SERIAL_MAX];
    size_t len = sb_encode_command(frame, sizeof frame, 0, 0, op, 1, args, n);
    size_t w = sb_serial_wrap(wire, sizeof wire, frame, len);
    memcpy(fake.host_tx + fake.host_tx_len, wire, w);
    fake.host_tx_len += w;
}

/* ADC code the SAADC gives for a cell voltage through the 1 M / 510 k divider, 3.0 V range. */
static uint32_t adc_code(double cell_v)
{
    return (uint32_t)(cell_v * 510.0 / 1510.0 / 3.0 * 4096.0 + 0.5);
}

static void test_pins_configured(void **state)
{
    (void)state;
    /* CHG (P0.17): input, connected, pull-up; IMU supply (P1.08): output, high drive, on. */
    assert_int_equal(NRF_P0->PIN_CNF[17], 3u << 2);
    assert_int_equal(NRF_P1->PIN_CNF[8] & 1u, 1u);
    assert_int_equal((NRF_P1->PIN_CNF[8] >> 8) & 7u, 3u); /* DRIVE = H0H1 */
    assert_int_equal(fake.pin_level[PIN_LSM6DS3TR_C_POWER], HIGH);
}

static void test_battery_reads_right_at_3v0_3v7_4v2(void **state)
{
    (void)state;
    const double volts[] = {3.0, 3.7, 4.2};
    for (int i = 0; i < 3; i++) {
        uint16_t mv;
        uint8_t percent;
        int charging;
        fake.analog_raw = adc_code(volts[i]);
        sb_port_battery(&mv, &percent, &charging);
        assert_true(fabs(mv - volts[i] * 1000.0) <= 3.0); /* one ADC step is 2.2 mV */
        assert_false(charging);
    }
}

static void test_status_reports_charging_from_chg_pin(void **state)
{
    (void)state;
    static uint8_t frames[256][SB_MAX_FRAME];
    static size_t lens[256];
    fake.analog_raw = adc_code(3.7);
    fake.dtr = true;
    run_for(1500000);
    NRF_P0->IN &= ~(1u << 17); /* the charger pulls CHG low */
    run_for(1000000);
    fake_host_read();
    size_t n = host_frames(frames, lens, 256);
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (frames[i][0] != SB_MSG_STATUS)
            continue;
        int charging = (frames[i][11] & SB_STATUS_CHARGING) != 0;
        assert_int_equal(charging, seen >= 1);
        assert_true(abs((int)sb_get_u16(frames[i] + 8) - 3700) <= 3);
        assert_int_equal(frames[i][10], sb_lipo_percent(sb_get_u16(frames[i] + 8)));
        assert_false(frames[i][11] & SB_STATUS_BATTERY_LOW);
        seen++;
    }
    assert_int_equal(seen, 2);
}

/* A frame larger than the 256-byte CDC FIFO goes out whole as the host reads; a frame the
 * queue has no room for is refused whole, never cut. */
static void test_serial_frames_larger_than_cdc_fifo(void **state)
{
    (void)state;
    uint8_t big[500];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7 + 1);
    fake.dtr = true;
    loop();
    fake_host_read();
    fake.host_rx_len = 0;
    assert_int_equal(sb_port_send(SB_LINK_SERIAL, big, sizeof big), 0);
    assert_int_equal(fake.cdc_len, FAKE_CDC_FIFO); /* as much as fits, now */
    for (int i = 0; i < 3; i++) {
        fake_host_read();
        loop();
    }
    fake_host_read();
    assert_true(fake.host_rx_len >= sizeof big);
    assert_memory_equal(fake.host_rx, big, sizeof big);
    /* The host stops reading: the queue (2 KB) fills, then sends are refused whole. */
    int refused = 0;
    for (int i = 0; i < 8 && !refused; i++)
        refused = sb_port_send(SB_LINK_SERIAL, big, sizeof big) != 0;
    assert_true(refused);
}

static void test_ble_send_never_waits_and_drops_show_in_status(void **state)
{
    (void)state;
    static uint8_t frame[SB_MAX_FRAME];
    fake_ble_connect(247);
    run_for(20000);
    const uint8_t args[3] = {100, 0, SB_CH_ALL};
    size_t len = sb_encode_command(frame, sizeof frame, 0, 0, SB_OP_START, 3, args, 3);
    fake_ble_write(frame, (uint16_t)len);
    /* The radio is slow for 1.5 s: nothing completes. */
    run_for(1500000);
    /* The queue (8, configPrphConn) filled: INFO, REPLY, INFO, then whole 14-record
     * notifications (the core fills one while the queue is busy), a STATUS; after that
     * nothing was even tried. */
    assert_int_equal(fake.hvn_qsize, 8);
    assert_int_equal(fake.notify_calls, 8);
    assert_int_equal(fake.notify_would_block, 0);
    assert_int_equal(fake.hvn_in_flight, 8);
    int full_ones = 0;
    for (unsigned i = 1; i <= 8; i++)
        full_ones += fake.notified[i][0] == SB_MSG_SAMPLES && fake.notified_len[i] == 10 + 14 * 16;
    assert_int_equal(full_ones, 4);
    /* Then it keeps up: every queued notification completes at once. */
    uint32_t dropped = 0;
    for (int i = 0; i < 1600 && !dropped; i++) {
        if (fake.hvn_in_flight)
            fake_hvn_complete((uint8_t)fake.hvn_in_flight);
        loop();
        unsigned slot = fake.notify_calls % 64;
        if (fake.notified_len[slot] && fake.notified[slot][0] == SB_MSG_STATUS)
            dropped = sb_get_u32(fake.notified[slot] + 12);
    }
    assert_int_equal(fake.notify_would_block, 0);
    /* 1.5 s at 100 Hz (150) found no room, less the four full notifications in the queue
     * (56) and the 14 records waiting for room: about 80 dropped. */
    assert_true(dropped >= 75 && dropped <= 85);
}

static void test_sleep_arms_wake_on_motion(void **state)
{
    (void)state;
    fake.dtr = true;
    run_for(200000);
    host_command(SB_OP_SLEEP, NULL, 0);
    fake.gone_armed = true;
    if (setjmp(fake.gone) == 0)
        run_for(5000);
    fake.gone_armed = false;
    assert_int_equal(fake.system_off, 1);
    /* The flash got its deep power-down, the divider is off (VBAT_ENABLE high). */
    assert_int_equal(fake.pin_level[VBAT_ENABLE], HIGH);
    /* IMU still powered, its wake-up interrupt on INT1, and INT1 (P0.11) set to wake the
     * chip: input, pull-down, SENSE high. */
    assert_int_equal(fake.pin_level[PIN_LSM6DS3TR_C_POWER], HIGH);
    assert_int_equal(fake.imu.reg[LSM6DS3_REG_MD1_CFG], LSM6DS3_MD1_INT1_WU);
    assert_int_equal(NRF_P0->PIN_CNF[11], 1u << 2 | 2u << 16);
    assert_int_equal(fake.reset_reason_cleared, 0xFFFFFFFFu);
}

/* System OFF refused (a debugger attached): the board waits for the wake signal at low power
 * and then resets, as a wake does; it never returns to re-arm the IMU every other poll. */
static void test_refused_system_off_waits_for_wake_then_resets(void **state)
{
    (void)state;
    fake.dtr = true;
    run_for(200000);
    host_command(SB_OP_SLEEP, NULL, 0);
    fake.system_off_refused = true;
    fake.gone_armed = true;
    /* The wait loop is left only by a reset: the fake raises INT1 (someone picks the ball
     * up) 2 s after the refused System OFF. */
    int how = setjmp(fake.gone);
    if (how == 0)
        run_for(5000);
    fake.gone_armed = false;
    assert_int_equal(how, 2);
    assert_int_equal(fake.system_off, 1);
    assert_int_equal(fake.system_resets, 1);
    assert_true(fake.wdt_feeds > 20); /* fed while waiting: the watchdog does not fire */
}

/* A device holding SDA low: the core's recovery clocks it free through the board. */
static void test_stuck_bus_recovered_and_stream_resumes(void **state)
{
    (void)state;
    fake.dtr = true;
    run_for(100000);
    const uint8_t args[3] = {100, 0, SB_CH_ALL};
    host_command(SB_OP_START, args, 3);
    for (int i = 0; i < 100; i++) {
        run_for(10000);
        fake_host_read();
    }
    fake.sda_stuck[0] = true;
    for (int i = 0; i < 100; i++) { /* the host reads every 10 ms */
        run_for(10000);
        fake_host_read();
    }
    assert_false(fake.sda_stuck[0]);
    assert_true(fake.scl_pulses[0] >= 1);
    assert_true(fake.wire_end[0] >= 1);
    fake_host_read();
    static uint8_t frames[2048][SB_MAX_FRAME];
    static size_t lens[2048];
    size_t n = host_frames(frames, lens, 2048);
    uint32_t last_index = 0;
    int recovered_log = 0;
    for (size_t i = 0; i < n; i++) {
        if (frames[i][0] == SB_MSG_SAMPLES)
            last_index = sb_get_u32(frames[i] + 4);
        if (frames[i][0] == SB_MSG_LOG && strstr((const char *)frames[i] + 9, "restarted"))
            recovered_log = 1;
    }
    assert_true(recovered_log);
    assert_true(last_index > 190); /* still streaming at the end of the 2 s */
}

static void test_watchdog_reset_reason_passkey_adc(void **state)
{
    (void)state;
    /* Started in setup(): 1 s, reload register 0 enabled, running in sleep. */
    assert_int_equal(fake_wdt->CRV, 32768u);
    assert_int_equal(fake_wdt->RREN, 1u);
    assert_int_equal(fake_wdt->TASKS_START, 1u);
    assert_int_equal(fake.sample_time_us, 40);
    /* A boot after the watchdog fired says so, once, at the serial link's first LOGs. */
    fake_reset(const_truth, &rest);
    fake_power->RESETREAS = 1u << 1;
    setup();
    fake.dtr = true;
    run_for(20000);
    fake_host_read();
    static uint8_t frames[64][SB_MAX_FRAME];
    static size_t lens[64];
    size_t n = host_frames(frames, lens, 64);
    int watchdog = 0, passkey = 0;
    for (size_t i = 0; i < n; i++) {
        if (frames[i][0] != SB_MSG_LOG)
            continue;
        const char *text = (const char *)frames[i] + 9;
        watchdog += strncmp(text, "reset: watchdog", 15) == 0 && frames[i][8] == 2;
        passkey += strncmp(text, "BLE pairing passkey ", 20) == 0 && lens[i] == 9 + 26;
    }
    assert_int_equal(watchdog, 1);
    assert_int_equal(passkey, 1);
}

/* Control writes from a link that is not encrypted and bonded are ignored. */
static void test_control_needs_a_bonded_link(void **state)
{
    (void)state;
    static uint8_t frame[SB_MAX_FRAME];
    fake.secured = false;
    fake_ble_connect(247);
    run_for(20000);
    unsigned before = fake.notify_calls;
    size_t len = sb_encode_command(frame, sizeof frame, 0, 0, SB_OP_INFO_REQUEST, 3, NULL, 0);
    fake_ble_write(frame, (uint16_t)len);
    run_for(20000);
    assert_int_equal(fake.notify_calls, before); /* no REPLY, no INFO */
    fake.secured = true;
    fake_ble_write(frame, (uint16_t)len);
    fake_hvn_complete((uint8_t)fake.hvn_in_flight);
    run_for(20000);
    assert_true(fake.notify_calls >= before + 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pins_configured, setup_board, teardown_board),
        cmocka_unit_test_setup_teardown(test_battery_reads_right_at_3v0_3v7_4v2, setup_board,
                                        teardown_board),
        cmocka_unit_test_setup_teardown(test_status_reports_charging_from_chg_pin, setup_board,
                                        teardown_board),
        cmocka_unit_test_setup_teardown(test_serial_frames_larger_than_cdc_fifo, setup_board,
                                        teardown_board),
        cmocka_unit_test_setup_teardown(test_ble_send_never_waits_and_drops_show_in_status,
                                        setup_board, teardown_board),
        cmocka_unit_test_setup_teardown(test_sleep_arms_wake_on_motion, setup_board,
                                        teardown_board),
        cmocka_unit_test_setup_teardown(test_refused_system_off_waits_for_wake_then_resets,
                                        setup_board, teardown_board),
        cmocka_unit_test_setup_teardown(test_stuck_bus_recovered_and_stream_resumes, setup_board,
                                        teardown_board),
        cmocka_unit_test_setup_teardown(test_watchdog_reset_reason_passkey_adc, setup_board,
                                        teardown_board),
        cmocka_unit_test_setup_teardown(test_control_needs_a_bonded_link, setup_board,
                                        teardown_board),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
