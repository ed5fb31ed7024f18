/* The ball's behaviour; see sb_app.h and shared/spec/protocol.md. */
#include "sb_app.h"

#include <string.h>

static int bus_read(void *h, uint8_t reg, uint8_t *data, uint16_t len)
{
    const sb_i2c_dev_t *d = h;
    return sb_port_i2c_read(d->bus, d->addr, reg, data, len);
}

static int bus_write(void *h, uint8_t reg, const uint8_t *data, uint16_t len)
{
    const sb_i2c_dev_t *d = h;
    return sb_port_i2c_write(d->bus, d->addr, reg, data, len);
}

static void bus_delay(void *h, uint32_t us)
{
    (void)h;
    sb_port_delay_us(us);
}

sb_bus_t sb_port_bus(sb_i2c_dev_t *dev)
{
    return (sb_bus_t){bus_read, bus_write, bus_delay, dev};
}

static uint32_t uptime_ms(const sb_app_t *app)
{
    return (uint32_t)(app->now_us / 1000u);
}

/* Sends app->frame[0..len) on a link; seq advances only for a frame that went out. */
static int transmit(sb_app_t *app, sb_link_t l, size_t len)
{
    sb_link_state_t *link = &app->link[l];
    if (!link->up || len == 0)
        return -1;
    int rc;
    if (l == SB_LINK_SERIAL) {
        size_t n = sb_serial_wrap(app->wire, sizeof app->wire, app->frame, len);
        rc = n ? sb_port_send(l, app->wire, n) : -1;
    } else {
        rc = len <= link->max_frame ? sb_port_send(l, app->frame, len) : -1;
    }
    if (rc == 0)
        link->seq++;
    return rc;
}

void sb_device_name(const uint8_t device_id[8], char name[SB_MAX_NAME + 1])
{
    static const char hex[] = "0123456789ABCDEF";
    memcpy(name, "SmartBall-", 10);
    for (int i = 0; i < 4; i++)
        name[10 + i] = hex[(device_id[6 + i / 2] >> (i % 2 ? 0 : 4)) & 0x0F];
    name[14] = '\0';
}

uint8_t sb_lipo_percent(uint16_t mv)
{
    static const uint16_t curve[][2] = {
        {3300, 0}, {3500, 4}, {3600, 10}, {3700, 24}, {3800, 46},
        {3900, 63}, {4000, 77}, {4100, 90}, {4200, 100},
    };
    if (mv <= curve[0][0])
        return 0;
    for (size_t i = 1; i < sizeof curve / sizeof curve[0]; i++) {
        if (mv < curve[i][0]) {
            uint32_t dv = curve[i][0] - curve[i - 1][0], dp = curve[i][1] - curve[i - 1][1];
            return (uint8_t)(curve[i - 1][1] + (mv - curve[i - 1][0]) * dp / dv);
        }
    }
    return 100;
}

uint16_t sb_adc_to_mv(int32_t raw, uint32_t counts, uint32_t full_scale_mv, uint32_t divider_num,
                      uint32_t divider_den)
{
    if (raw <= 0 || counts == 0 || divider_den == 0)
        return 0;
    uint64_t den = (uint64_t)counts * divider_den;
    uint64_t mv = ((uint64_t)(uint32_t)raw * full_scale_mv * divider_num + den / 2u) / den;
    return (uint16_t)(mv > 0xFFFFu ? 0xFFFFu : mv);
}

uint8_t sb_app_channels(const sb_app_t *app)
{
    return (uint8_t)((app->have_baro ? SB_CH_PRESSURE : 0) |
                     (app->have_imu ? SB_CH_GYRO | SB_CH_ACCEL : 0));
}

static void send_info(sb_app_t *app, sb_link_t l)
{
    sb_info_t info = {
        .firmware = {SB_FW_MAJOR, SB_FW_MINOR, SB_FW_PATCH},
        .boot_id = app->boot_id,
        .sample_period_us = sb_sched_period_us(app->rate_hz, app->have_baro),
        .channels = sb_app_channels(app),
        .gyro_dps_per_lsb = app->have_imu ? LSM6DS3_GYRO_DPS_PER_LSB : 0.0f,
        .accel_g_per_lsb = app->have_imu ? LSM6DS3_ACCEL_G_PER_LSB : 0.0f,
        .ball_diameter_mm = SB_BALL_DIAMETER_MM,
        .name = app->name,
    };
    memcpy(info.device_id, app->device_id, 8);
    if (app->link[l].up &&
        transmit(app, l, sb_encode_info(app->frame, sizeof app->frame, app->link[l].seq,
                                        uptime_ms(app), &info)) == 0)
        app->link[l].info_sent = 1;
}

static void send_status(sb_app_t *app, sb_link_t l)
{
    sb_status_t st = {0, 255, 0, 0};
    int charging = 0;
    sb_port_battery(&st.battery_mv, &st.battery_percent, &charging);
    int faults = app->sched.faults;
    st.flags = (uint8_t)((charging ? SB_STATUS_CHARGING : 0) |
                         ((!app->have_baro || (faults & SB_FAULT_BARO)) ? SB_STATUS_PRESSURE_FAULT : 0) |
                         ((!app->have_imu || (faults & SB_FAULT_IMU)) ? SB_STATUS_IMU_FAULT : 0) |
                         ((st.battery_percent <= 10) ? SB_STATUS_BATTERY_LOW : 0));
    st.dropped_samples = app->sched.dropped + app->link[l].dropped;
    if (app->link[l].up)
        (void)transmit(app, l, sb_encode_status(app->frame, sizeof app->frame, app->link[l].seq,
                                                uptime_ms(app), &st));
}

static void send_log(sb_app_t *app, sb_link_t l, uint8_t level, const char *text)
{
    if (app->link[l].up)
        (void)transmit(app, l, sb_encode_log(app->frame, sizeof app->frame, app->link[l].seq,
                                             uptime_ms(app), level, text));
}

const char *sb_reset_text(sb_reset_cause_t cause)
{
    switch (cause) {
    case SB_RESET_POWER_ON: return "reset: power on";
    case SB_RESET_PIN: return "reset: reset pin";
    case SB_RESET_WATCHDOG: return "reset: watchdog (the firmware stopped, and restarted)";
    case SB_RESET_SOFT: return "reset: software (update or bootloader)";
    case SB_RESET_LOCKUP: return "reset: CPU lock-up";
    case SB_RESET_WAKE: return "reset: woken from sleep";
    default: return "reset: cause unknown";
    }
}

/* Once per boot and link: why the ball last restarted. */
static void report_reset(sb_app_t *app, sb_link_t l)
{
    if (app->reset_reported[l] || !app->link[l].up)
        return;
    sb_reset_cause_t c = app->reset_cause;
    send_log(app, l, (c == SB_RESET_WATCHDOG || c == SB_RESET_LOCKUP) ? 2 : 1, sb_reset_text(c));
    app->reset_reported[l] = 1;
}

void sb_app_log(sb_app_t *app, sb_link_t link, uint8_t level, const char *text, uint64_t now_us)
{
    app->now_us = now_us;
    send_log(app, link, level, text);
}

static void log_all(sb_app_t *app, uint8_t level, const char *text)
{
    for (int i = 0; i < SB_LINK_COUNT; i++)
        send_log(app, (sb_link_t)i, level, text);
}

static void send_reply(sb_app_t *app, sb_link_t l, uint8_t op, uint8_t token, uint8_t result)
{
    (void)transmit(app, l, sb_encode_reply(app->frame, sizeof app->frame, app->link[l].seq,
                                           uptime_ms(app), op, token, result));
}

static char *put_uint(char *p, unsigned v)
{
    char tmp[10];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static int ble_streamable(const sb_app_t *app)
{
    return app->link[SB_LINK_BLE].max_frame + 3u >= SB_MIN_BLE_MTU;
}

/* The BLE link cannot carry the stream: say why, over serial, once per MTU. */
static void report_small_mtu(sb_app_t *app)
{
    sb_link_state_t *ble = &app->link[SB_LINK_BLE];
    if (ble_streamable(app) || ble->mtu_reported)
        return;
    char text[40] = "ATT MTU ";
    char *p = put_uint(text + 8, ble->max_frame + 3u);
    memcpy(p, " < 72: not streaming", 21);
    send_log(app, SB_LINK_SERIAL, 2, text);
    ble->mtu_reported = 1;
}

static int streams_to(const sb_app_t *app, sb_link_t l)
{
    return app->link[l].up && (l == SB_LINK_SERIAL || ble_streamable(app));
}

static void update_capacity(sb_app_t *app)
{
    size_t max_frame = SB_MAX_FRAME;
    for (int l = 0; l < SB_LINK_COUNT; l++) {
        if (streams_to(app, (sb_link_t)l) && app->link[l].max_frame < max_frame)
            max_frame = app->link[l].max_frame;
    }
    sb_sched_set_max_records(&app->sched, sb_records_fit(app->channels, max_frame), app->now_us);
}

static size_t samples_frame(sb_app_t *app, sb_link_t l, const sb_batch_t *b)
{
    return sb_encode_samples(app->frame, sizeof app->frame, app->link[l].seq, b->first_index,
                             b->flags, b->temperature_cdeg, b->records, b->len);
}

/* The samples waiting for the BLE queue, as one notification; 0 if it went out (or there
 * was none). */
static int send_ble_pending(sb_app_t *app)
{
    sb_pending_t *p = &app->ble_pending;
    if (p->count == 0)
        return 0;
    sb_batch_t b = {p->first_index, p->flags, p->temperature_cdeg, p->records, p->len, p->count};
    if (transmit(app, SB_LINK_BLE, samples_frame(app, SB_LINK_BLE, &b)) != 0)
        return -1;
    p->count = p->len = 0;
    return 0;
}

static size_t ble_room(const sb_app_t *app)
{
    size_t room = app->link[SB_LINK_BLE].max_frame;
    room = room > SB_BLE_MAX_FRAME ? SB_BLE_MAX_FRAME : room;
    return room > SB_HEADER_SIZE + 2u ? room - SB_HEADER_SIZE - 2u : 0;
}

/* A batch for BLE. With the notification queue empty it goes straight out; while the queue
 * is busy it waits with the samples before it, so that a slot of the queue carries a whole
 * MTU's worth (14 records at ATT MTU 247) instead of 20 ms: at a 100 ms connection interval
 * three 244-byte notifications an event carry 42 records, more than 200 Hz needs. */
static void emit_ble(sb_app_t *app, const sb_batch_t *b)
{
    sb_pending_t *p = &app->ble_pending;
    size_t room = ble_room(app);
    int follows = p->count && b->first_index == p->first_index + p->count &&
                  (b->flags & SB_CH_ALL) == (p->flags & SB_CH_ALL) &&
                  !(b->flags & SB_SAMPLES_FIFO_OVERFLOW) && p->len + b->len <= room;
    if (p->count && !follows && send_ble_pending(app) != 0) {
        app->link[SB_LINK_BLE].dropped += (uint32_t)b->count; /* full and still busy */
        return;
    }
    if (p->count == 0 && app->ble_in_flight == 0 &&
        transmit(app, SB_LINK_BLE, samples_frame(app, SB_LINK_BLE, b)) == 0)
        return;
    if (b->len > room) {
        app->link[SB_LINK_BLE].dropped += (uint32_t)b->count;
        return;
    }
    if (p->count == 0) {
        p->first_index = b->first_index;
        p->flags = b->flags;
        p->len = p->count = 0;
    }
    memcpy(p->records + p->len, b->records, b->len);
    p->len += b->len;
    p->count += b->count;
    p->flags |= b->flags;
    p->temperature_cdeg = b->temperature_cdeg;
    app->ble_batch_len = b->len;
    /* No room for another batch: a full notification is worth its slot now. */
    if (p->len + b->len > room)
        (void)send_ble_pending(app);
}

void sb_app_ble_in_flight(sb_app_t *app, unsigned notifications)
{
    app->ble_in_flight = notifications;
}

static void emit(void *ctx, const sb_batch_t *b)
{
    sb_app_t *app = ctx;
    for (int i = 0; i < SB_LINK_COUNT; i++) {
        sb_link_t l = (sb_link_t)i;
        if (!streams_to(app, l))
            continue;
        if (l == SB_LINK_BLE)
            emit_ble(app, b);
        else if (transmit(app, l, samples_frame(app, l, b)) != 0)
            app->link[l].dropped += (uint32_t)b->count;
    }
}

void sb_app_init(sb_app_t *app, uint64_t now_us)
{
    memset(app, 0, sizeof *app);
    app->now_us = now_us;
    sb_port_device_id(app->device_id);
    sb_device_name(app->device_id, app->name);
    app->boot_id = sb_port_random32();
    app->reset_cause = sb_port_reset_cause();
    app->rate_hz = 100;

    app->baro_dev = (sb_i2c_dev_t){SB_BUS_EXTERNAL, BMP390_I2C_ADDR};
    app->imu_dev = (sb_i2c_dev_t){SB_BUS_IMU, LSM6DS3_I2C_ADDR};
    app->baro.bus = sb_port_bus(&app->baro_dev);
    app->imu.bus = sb_port_bus(&app->imu_dev);
    app->have_baro = bmp390_init(&app->baro) == 0;
    if (!app->have_baro) { /* a breakout with SDO low answers at 0x76 */
        app->baro_dev.addr = BMP390_I2C_ADDR_ALT;
        app->have_baro = bmp390_init(&app->baro) == 0;
        if (!app->have_baro)
            app->baro_dev.addr = BMP390_I2C_ADDR;
    }
    app->have_imu = lsm6ds3_init(&app->imu) == 0;
    sb_sched_init(&app->sched, app->have_baro ? &app->baro : NULL,
                  app->have_imu ? &app->imu : NULL, emit, app);

    app->link[SB_LINK_SERIAL].max_frame = SB_MAX_FRAME;
    app->link[SB_LINK_BLE].max_frame = 20; /* ATT MTU 23 until the exchange */
    app->next_status_us = now_us + SB_STATUS_EVERY_US;
    app->all_down_since_us = now_us;
    app->idle_sleep_us = SB_IDLE_SLEEP_US;
}

void sb_app_link_up(sb_app_t *app, sb_link_t link, uint64_t now_us)
{
    app->now_us = now_us;
    app->link[link].up = 1;
    if (link == SB_LINK_SERIAL)
        sb_deframer_reset(&app->rx);
    send_info(app, link);
    report_reset(app, link);
    if (app->streaming && link == SB_LINK_BLE)
        report_small_mtu(app);
    update_capacity(app);
}

void sb_app_link_down(sb_app_t *app, sb_link_t link, uint64_t now_us)
{
    app->now_us = now_us;
    app->link[link].up = 0;
    app->link[link].info_sent = 0;
    if (link == SB_LINK_BLE)
        app->ble_pending.count = app->ble_pending.len = 0; /* stale for the next central */
    if (link == SB_LINK_BLE)
        app->link[link].mtu_reported = 0; /* the MTU itself is the board's to report */
    if (!app->link[SB_LINK_SERIAL].up && !app->link[SB_LINK_BLE].up)
        app->all_down_since_us = now_us;
    update_capacity(app);
}

void sb_app_set_mtu(sb_app_t *app, uint16_t att_mtu, uint64_t now_us)
{
    sb_link_state_t *ble = &app->link[SB_LINK_BLE];
    app->now_us = now_us;
    ble->max_frame = (uint16_t)(att_mtu < 3 ? 0 : att_mtu - 3u > SB_MAX_FRAME ? SB_MAX_FRAME
                                                                         : att_mtu - 3u);
    ble->mtu_reported = 0;
    if (app->ble_pending.count &&
        app->ble_pending.len + SB_HEADER_SIZE + 2u > ble->max_frame) { /* no longer fits */
        ble->dropped += (uint32_t)app->ble_pending.count;
        app->ble_pending.count = app->ble_pending.len = 0;
    }
    /* At ATT MTU 23 the connect INFO (up to 61 bytes) cannot go out; it goes once the
     * exchange has made room. */
    if (ble->up && !ble->info_sent)
        send_info(app, SB_LINK_BLE);
    report_reset(app, SB_LINK_BLE);
    if (app->streaming && ble->up)
        report_small_mtu(app);
    update_capacity(app);
}

static void stop_stream(sb_app_t *app)
{
    sb_sched_stop(&app->sched, app->now_us);
    app->streaming = 0;
}

static uint8_t start(sb_app_t *app, sb_link_t l, const uint8_t *args, size_t n)
{
    if (n != 3)
        return SB_BAD_ARGUMENT;
    uint16_t rate = sb_get_u16(args);
    uint8_t channels = args[2];
    if ((rate != 25 && rate != 50 && rate != 100 && rate != 200) || channels == 0 ||
        (channels & ~SB_CH_ALL))
        return SB_BAD_ARGUMENT;
    if (channels & ~sb_app_channels(app))
        return SB_UNSUPPORTED;
    if (l == SB_LINK_BLE && !ble_streamable(app)) {
        report_small_mtu(app);
        return SB_UNSUPPORTED;
    }
    /* The same START again (a host reconnecting) keeps the stream and its sample indices;
     * different settings start a new stream from index 0. */
    if (app->streaming && rate == app->rate_hz && channels == app->channels)
        return SB_OK;
    if (app->streaming)
        stop_stream(app);
    app->rate_hz = rate;
    app->channels = channels;
    if (sb_sched_start(&app->sched, rate, channels, app->now_us) != 0) {
        send_log(app, l, 3, "sensor did not start");
        return SB_BUSY;
    }
    app->streaming = 1;
    app->next_info_us = app->now_us + SB_INFO_EVERY_US;
    update_capacity(app);
    return SB_OK;
}

static void handle_command(sb_app_t *app, sb_link_t l, const uint8_t *p, size_t n)
{
    uint8_t op = p[0], token = p[1], result;
    const uint8_t *args = p + 2;
    n -= 2;
    switch (op) {
    case SB_OP_START:
        result = start(app, l, args, n);
        send_reply(app, l, op, token, result);
        if (result == SB_OK) {
            for (int i = 0; i < SB_LINK_COUNT; i++)
                send_info(app, (sb_link_t)i);
        }
        return;
    case SB_OP_STOP:
        result = n ? SB_BAD_ARGUMENT : SB_OK;
        if (result == SB_OK && app->streaming)
            stop_stream(app);
        break;
    case SB_OP_INFO_REQUEST:
        result = n ? SB_BAD_ARGUMENT : SB_OK;
        send_reply(app, l, op, token, result);
        if (result == SB_OK)
            send_info(app, l);
        return;
    case SB_OP_IDENTIFY:
        result = n ? SB_BAD_ARGUMENT : app->identify_until_us > app->now_us ? SB_BUSY : SB_OK;
        if (result == SB_OK) {
            app->identify_until_us = app->now_us + SB_IDENTIFY_US;
            app->next_blink_us = app->now_us;
        }
        break;
    case SB_OP_SLEEP:
        /* Not while streaming: a host that forgot the stream would lose it silently. */
        result = n ? SB_BAD_ARGUMENT : app->streaming ? SB_BUSY : SB_OK;
        app->sleep_pending = result == SB_OK;
        break;
    default:
        result = SB_UNSUPPORTED;
        break;
    }
    send_reply(app, l, op, token, result);
}

void sb_app_rx_frame(sb_app_t *app, sb_link_t link, const uint8_t *frame, size_t len,
                     uint64_t now_us)
{
    app->now_us = now_us;
    /* Only COMMAND frames mean anything to the ball; anything else is ignored. */
    if (len < SB_HEADER_SIZE + 2u || len > SB_MAX_FRAME || frame[0] != SB_MSG_COMMAND)
        return;
    handle_command(app, link, frame + SB_HEADER_SIZE, len - SB_HEADER_SIZE);
}

void sb_app_rx_serial(sb_app_t *app, const uint8_t *data, size_t len, uint64_t now_us)
{
    uint8_t frame[SB_MAX_FRAME];
    for (size_t i = 0; i < len; i++) {
        size_t n = sb_deframer_feed(&app->rx, data[i], frame, sizeof frame);
        if (n)
            sb_app_rx_frame(app, SB_LINK_SERIAL, frame, n, now_us);
    }
}

/* "pressure sensor reset itself: restarted at sample 1234, 56 lost" */
static void log_recovery(sb_app_t *app, uint8_t level, const char *what, const char *done,
                         int with_counts)
{
    char text[112]; /* the longest: 49 + 12 + 10 + 2 + 10 + 5 */
    char *p = text;
    size_t n = strlen(what);
    memcpy(p, what, n);
    p += n;
    n = strlen(done);
    memcpy(p, done, n);
    p += n;
    if (with_counts) {
        memcpy(p, " at sample ", 11);
        p = put_uint(p + 11, app->sched.next_index);
        memcpy(p, ", ", 2);
        p = put_uint(p + 2, app->sched.last_lost);
        memcpy(p, " lost", 5);
        p += 5;
    }
    *p = '\0';
    log_all(app, level, text);
}

/* A sensor that stopped answering, or that answers but lost its configuration (it reset)
 * or stopped sampling: free its bus, initialise it again and restart its stream, every
 * SB_RECOVER_EVERY_US until it works. The STATUS fault flag stays up meanwhile; LOG frames
 * say what happened and when it streams again. */
static void recover(sb_app_t *app, uint64_t now_us)
{
    int f = app->sched.faults;
    if (!f || (int64_t)(now_us - app->next_recover_us) < 0)
        return;
    app->next_recover_us = now_us + SB_RECOVER_EVERY_US;
    if (f & (SB_FAULT_BARO | SB_FAULT_BARO_RESET | SB_FAULT_BARO_STALL)) {
        const char *what = (f & SB_FAULT_BARO_RESET) ? "pressure sensor reset itself"
                           : (f & SB_FAULT_BARO_STALL) ? "pressure sensor stopped sampling"
                                                       : "pressure sensor did not answer";
        int bus_free = 1;
        if (f & SB_FAULT_BARO)
            bus_free = sb_port_i2c_recover(SB_BUS_EXTERNAL) == 0;
        if (bmp390_init(&app->baro) == 0 && sb_sched_restart_baro(&app->sched, now_us) == 0) {
            app->recoveries++;
            log_recovery(app, 2, what, ": restarted", 1);
            app->baro_failing = 0;
        } else if (!app->baro_failing) {
            log_recovery(app, 3, what, bus_free ? ": retrying" : ": I2C bus held low, retrying", 0);
            app->baro_failing = 1;
        }
    }
    if (app->sched.faults & SB_FAULT_IMU) {
        int bus_free = sb_port_i2c_recover(SB_BUS_IMU) == 0;
        if (lsm6ds3_init(&app->imu) == 0 && sb_sched_restart_imu(&app->sched, now_us) == 0) {
            app->recoveries++;
            log_recovery(app, 2, "IMU did not answer", ": restarted", 0);
            app->imu_failing = 0;
        } else if (!app->imu_failing) {
            log_recovery(app, 3, "IMU did not answer",
                         bus_free ? ": retrying" : ": I2C bus held low, retrying", 0);
            app->imu_failing = 1;
        }
    }
}

static int due(uint64_t now, uint64_t *next, uint32_t every)
{
    if ((int64_t)(now - *next) < 0)
        return 0;
    *next = now - *next >= every ? now + every : *next + every;
    return 1;
}

void sb_app_poll(sb_app_t *app, uint64_t now_us)
{
    app->now_us = now_us;
    if (app->sleep_pending) {
        app->sleep_pending = 0;
        /* Picking the ball up wakes it (the IMU's wake-up interrupt on a pin the board
         * watches while asleep); without it only USB power or a reset does. */
        app->wake_armed = app->have_imu && lsm6ds3_arm_wake(&app->imu, LSM6DS3_WAKE_THRESHOLD_MG) == 0;
        if (!app->wake_armed) {
            for (int i = 0; i < SB_LINK_COUNT; i++)
                send_log(app, (sb_link_t)i, 2, "no wake on motion: plug in USB to wake");
        }
        sb_port_led(0);
        sb_port_sleep();
        /* Still here: the board could not sleep. Stay awake and try again only after a whole
         * idle period, never at once (arming the IMU blocks for 80 ms each time). */
        app->all_down_since_us = now_us;
        return;
    }
    /* Waiting samples go when the queue is empty, or when another batch would not fit. */
    if (app->ble_pending.count && streams_to(app, SB_LINK_BLE) &&
        (app->ble_in_flight == 0 || app->ble_pending.len + app->ble_batch_len > ble_room(app)))
        (void)send_ble_pending(app);
    if (app->streaming) {
        sb_sched_poll(&app->sched, now_us);
        recover(app, now_us);
        if (app->link[SB_LINK_SERIAL].up && due(now_us, &app->next_info_us, SB_INFO_EVERY_US))
            send_info(app, SB_LINK_SERIAL);
        if (!app->link[SB_LINK_SERIAL].up && !app->link[SB_LINK_BLE].up &&
            now_us - app->all_down_since_us >= SB_ORPHAN_STOP_US)
            stop_stream(app);
    }
    if (!app->streaming && app->idle_sleep_us && !app->link[SB_LINK_SERIAL].up &&
        !app->link[SB_LINK_BLE].up && now_us - app->all_down_since_us >= app->idle_sleep_us) {
        app->sleep_pending = 1; /* slept on the next poll, as a SLEEP command would */
        return;
    }
    if (due(now_us, &app->next_status_us, SB_STATUS_EVERY_US)) {
        for (int i = 0; i < SB_LINK_COUNT; i++)
            send_status(app, (sb_link_t)i);
    }
    if (app->identify_until_us) {
        if (now_us >= app->identify_until_us) {
            app->identify_until_us = 0;
            app->led_on = 0;
            sb_port_led(0);
        } else if (due(now_us, &app->next_blink_us, 125000u)) {
            app->led_on = !app->led_on;
            sb_port_led(app->led_on);
        }
    }
}
