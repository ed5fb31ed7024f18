/* Sensor register models; see sim_sensors.h. */
#include "sim_sensors.h"

#include <math.h>
#include <string.h>

/* T1 27757, T2 18875, T3 -10, P1 458, P2 -2583, P3 34, P4 3, P5 25457, P6 31119, P7 3,
 * P8 -6, P9 2990, P10 2, P11 -60: the order of magnitude of real parts. */
const uint8_t sim_bmp390_default_nvm[21] = {
    0x6D, 0x6C, 0xBB, 0x49, 0xF6, 0xCA, 0x01, 0xE9, 0xF5, 0x22, 0x03,
    0x71, 0x63, 0x8F, 0x79, 0x03, 0xFA, 0xAE, 0x0B, 0x02, 0xC4,
};

/* ---------------------------------------------------------------------------- BMP390 */

static void bmp_reset(sim_bmp390_t *s)
{
    uint8_t nvm[21];
    memcpy(nvm, s->reg + 0x31, 21);
    memset(s->reg, 0, sizeof s->reg);
    memcpy(s->reg + 0x31, nvm, 21);
    s->reg[0x00] = 0x60;
    s->reg[0x03] = 0x10;
    s->reg[0x1C] = 0x02;
    s->reg[0x1F] = 0x00;
    s->reg[0x17] = 0x02;
    s->reg[0x18] = 0x02;
    s->fifo_len = 0;
    s->int_status = 0;
    s->reset_us = s->now_us;
}

void sim_bmp390_reset(sim_bmp390_t *s, uint64_t now_us)
{
    sim_bmp390_advance(s, now_us);
    bmp_reset(s);
}

void sim_bmp390_init(sim_bmp390_t *s, const uint8_t nvm[21], sim_truth_fn truth, void *user)
{
    memset(s, 0, sizeof *s);
    memcpy(s->reg + 0x31, nvm, 21);
    s->clock_scale = 1.0;
    bmp_reset(s);
    s->truth = truth;
    s->user = user;
    const uint8_t *n = nvm;
    s->t1 = (uint16_t)(n[0] | n[1] << 8) * 256.0;
    s->t2 = (uint16_t)(n[2] | n[3] << 8) / 1073741824.0;
    s->t3 = (int8_t)n[4] / pow(2, 48);
    s->p[0] = ((int16_t)(n[5] | n[6] << 8) - 16384) / pow(2, 20);
    s->p[1] = ((int16_t)(n[7] | n[8] << 8) - 16384) / pow(2, 29);
    s->p[2] = (int8_t)n[9] / pow(2, 32);
    s->p[3] = (int8_t)n[10] / pow(2, 37);
    s->p[4] = (uint16_t)(n[11] | n[12] << 8) * 8.0;
    s->p[5] = (uint16_t)(n[13] | n[14] << 8) / 64.0;
    s->p[6] = (int8_t)n[15] / 256.0;
    s->p[7] = (int8_t)n[16] / 32768.0;
    s->p[8] = (int16_t)(n[17] | n[18] << 8) / pow(2, 48);
    s->p[9] = (int8_t)n[19] / pow(2, 48);
    s->p[10] = (int8_t)n[20] / pow(2, 65);
}

static double comp_press(const sim_bmp390_t *s, double up, double t)
{
    const double *p = s->p;
    double o1 = p[4] + p[5] * t + p[6] * t * t + p[7] * t * t * t;
    double o2 = up * (p[0] + p[1] * t + p[2] * t * t + p[3] * t * t * t);
    return o1 + o2 + up * up * (p[8] + p[9] * t) + up * up * up * p[10];
}

uint32_t sim_bmp390_raw_temp(const sim_bmp390_t *s, double temp_c)
{
    /* t = d * T2 + d^2 * T3 with d = raw - T1: the root near temp_c / T2. */
    double d = temp_c / s->t2;
    for (int i = 0; i < 20; i++)
        d -= (d * s->t2 + d * d * s->t3 - temp_c) / (s->t2 + 2 * d * s->t3);
    double raw = floor(d + s->t1 + 0.5);
    return raw < 0 ? 0 : raw > 0xFFFFFF ? 0xFFFFFF : (uint32_t)raw;
}

uint32_t sim_bmp390_raw_pressure(const sim_bmp390_t *s, double pressure_pa, double temp_c)
{
    /* The compensation is monotonic in the raw code over the ADC range: bisect. */
    double lo = 0, hi = 0xFFFFFF;
    int falling = comp_press(s, hi, temp_c) < comp_press(s, lo, temp_c);
    for (int i = 0; i < 40; i++) {
        double mid = 0.5 * (lo + hi);
        if ((comp_press(s, mid, temp_c) < pressure_pa) != falling)
            lo = mid;
        else
            hi = mid;
    }
    return (uint32_t)floor(0.5 * (lo + hi) + 0.5);
}

static uint32_t bmp_period_ticks(const sim_bmp390_t *s)
{
    return 128u << (s->reg[0x1D] & 0x1F); /* 5 ms << odr_sel, 25.6 kHz ticks */
}

#define BMP_TICKS_PER_US 0.0256

uint64_t sim_bmp390_ticks(const sim_bmp390_t *s, uint64_t now_us)
{
    if (now_us <= s->reset_us)
        return 0;
    return (uint64_t)floor((double)(now_us - s->reset_us) * BMP_TICKS_PER_US * s->clock_scale);
}

/* The MCU time at which SENSORTIME reaches `tick`. */
static uint64_t bmp_tick_us(const sim_bmp390_t *s, uint64_t tick)
{
    return s->reset_us + (uint64_t)ceil((double)tick / (BMP_TICKS_PER_US * s->clock_scale));
}

static int bmp_running(const sim_bmp390_t *s)
{
    return (s->reg[0x1B] & 0x30) == 0x30 && (s->reg[0x1B] & 0x03) == 0x03;
}

static void put24(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
}

void sim_bmp390_advance(sim_bmp390_t *s, uint64_t now_us)
{
    uint64_t ticks = sim_bmp390_ticks(s, now_us);
    while (bmp_running(s) && s->next_tick <= ticks) {
        sim_truth_t t;
        s->truth(s->user, bmp_tick_us(s, s->next_tick), &t);
        uint32_t rt = sim_bmp390_raw_temp(s, t.temp_c);
        uint32_t rp = sim_bmp390_raw_pressure(s, t.pressure_pa, t.temp_c);
        put24(s->reg + 0x04, rp);
        put24(s->reg + 0x07, rt);
        s->produced++;
        if (s->reg[0x17] & 0x01) {
            if (s->fifo_len + 7 <= sizeof s->fifo) {
                uint8_t *f = s->fifo + s->fifo_len;
                f[0] = 0x94;
                put24(f + 1, rt);
                put24(f + 4, rp);
                s->fifo_len += 7;
            } else {
                s->lost_full++; /* stop on full: this sample is gone */
                s->lost_total++;
            }
            if (s->fifo_len + 7 > sizeof s->fifo && (s->reg[0x19] & 0x10))
                s->int_status |= 0x02; /* full: with stop_on_full, later frames are lost */
        }
        s->next_tick += bmp_period_ticks(s);
    }
    s->now_us = now_us;
}

/* Length of the FIFO frame starting with header h (datasheet 3.6.3). */
static size_t bmp_frame_len(uint8_t h)
{
    switch (h) {
    case 0x94: return 7;                       /* pressure and temperature */
    case 0x90: case 0x84: case 0xA0: return 4; /* temperature, pressure, sensor time */
    case 0x44: case 0x48: return 2;            /* configuration error / change */
    default: return 1;
    }
}

int sim_bmp390_read(sim_bmp390_t *s, uint8_t reg, uint8_t *data, uint16_t len)
{
    if (reg == 0x14) {
        /* FIFO_DATA: a burst pops frames. A frame the burst stops inside stays in the FIFO
         * and comes again from its start on the next read, as on Bosch's parts. */
        size_t popped = 0, i = 0;
        while (i < len && popped < s->fifo_len) {
            size_t f = bmp_frame_len(s->fifo[popped]);
            f = popped + f > s->fifo_len ? s->fifo_len - popped : f;
            size_t take = len - i < f ? len - i : f;
            memcpy(data + i, s->fifo + popped, take);
            i += take;
            if (take < f)
                break; /* cut off: not popped */
            popped += f;
        }
        for (; i < len; i++)
            data[i] = 0x80; /* empty frame */
        memmove(s->fifo, s->fifo + popped, s->fifo_len - popped);
        s->fifo_len -= popped;
        return 0;
    }
    for (uint16_t i = 0; i < len; i++) {
        unsigned r = (unsigned)reg + i;
        if (r == 0x11) {
            data[i] = s->int_status;
            s->int_status = 0;
        } else if (r == 0x12) {
            data[i] = (uint8_t)s->fifo_len;
        } else if (r == 0x13) {
            data[i] = (uint8_t)(s->fifo_len >> 8);
        } else if (r >= 0x0C && r <= 0x0E) {
            data[i] = (uint8_t)(sim_bmp390_ticks(s, s->now_us) >> (8 * (r - 0x0C)));
        } else {
            data[i] = r < sizeof s->reg ? s->reg[r] : 0;
        }
    }
    return 0;
}

int sim_bmp390_write(sim_bmp390_t *s, uint8_t reg, const uint8_t *data, uint16_t len)
{
    for (uint16_t i = 0; i < len; i++) {
        unsigned r = (unsigned)reg + i;
        if (r == 0x7E) {
            if (data[i] == 0xB6)
                bmp_reset(s);
            else if (data[i] == 0xB0)
                s->fifo_len = 0;
            continue;
        }
        if (r >= sizeof s->reg || r < 0x15 || (r >= 0x31 && r <= 0x45))
            continue; /* read-only */
        int was_running = bmp_running(s);
        s->reg[r] = data[i];
        if (r == 0x1B && !was_running && bmp_running(s)) {
            /* The first sample is the next point of the grid. */
            uint64_t p = bmp_period_ticks(s);
            s->next_tick = (sim_bmp390_ticks(s, s->now_us) / p + 1u) * p;
            s->produced = s->lost_full = 0;
        }
    }
    return 0;
}

/* --------------------------------------------------------------------------- LSM6DS3 */

void sim_lsm6ds3_init(sim_lsm6ds3_t *s, uint8_t who_am_i, sim_truth_fn truth, void *user)
{
    memset(s, 0, sizeof *s);
    s->reg[0x0F] = who_am_i;
    s->reg[0x12] = 0x04;
    s->rate_scale = 1.0;
    s->truth = truth;
    s->user = user;
}

static double imu_period_us(const sim_lsm6ds3_t *s)
{
    unsigned code = (s->reg[0x0A] >> 3) & 0x0F;
    /* 26, 52, 104, 208 Hz: 6.66 kHz divided by powers of two */
    return code ? 1e6 / (13.0 * (double)(1u << (code - 1)) * s->rate_scale) : 0;
}

static int imu_running(const sim_lsm6ds3_t *s)
{
    return (s->reg[0x0A] & 0x07) == 0x06 && imu_period_us(s) > 0 && (s->reg[0x10] >> 4) &&
           (s->reg[0x11] >> 4);
}

static int16_t sat16(double v)
{
    v = floor(v + 0.5);
    return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

static double accel_fs_g(const sim_lsm6ds3_t *s)
{
    static const double fs[4] = {2.0, 16.0, 4.0, 8.0}; /* FS_XL codes 00, 01, 10, 11 */
    return fs[(s->reg[0x10] >> 2) & 3];
}

static int wake_enabled(const sim_lsm6ds3_t *s)
{
    /* The LSM6DS3TR-C needs TAP_CFG.INTERRUPTS_ENABLE; the LSM6DS3 has no such bit. */
    int enabled = s->reg[0x0F] != 0x6A || (s->reg[0x58] & 0x80);
    return enabled && (s->reg[0x5E] & 0x20) && (s->reg[0x10] >> 4) != 0;
}

/* The wake-up function on the accelerometer's own clock: the slope filter
 * (acc(tn) - acc(tn-1)) / 2 of each axis against WAKE_UP_THS * FS / 64, for more than
 * WAKE_DUR samples; latched (TAP_CFG.LIR) until WAKE_UP_SRC is read. */
static void wake_advance(sim_lsm6ds3_t *s, uint64_t now_us)
{
    if (!wake_enabled(s)) {
        s->wake_have_prev = 0;
        s->wake_next_us = (double)now_us;
        return;
    }
    double period = 1e6 / (13.0 * (double)(1u << (((s->reg[0x10] >> 4) & 0x0F) - 1u)) * s->rate_scale);
    double ths = (s->reg[0x5B] & 0x3F) * accel_fs_g(s) / 64.0;
    unsigned dur = (s->reg[0x5C] >> 5) & 3;
    while (s->wake_next_us <= (double)now_us) {
        sim_truth_t t;
        s->truth(s->user, (uint64_t)s->wake_next_us, &t);
        uint8_t axes = 0;
        for (int a = 0; a < 3; a++) {
            if (s->wake_have_prev && fabs(t.accel_g[a] - s->wake_prev[a]) / 2.0 > ths)
                axes |= (uint8_t)(4u >> a); /* X_WU bit 2, Y_WU bit 1, Z_WU bit 0 */
            s->wake_prev[a] = t.accel_g[a];
        }
        s->wake_have_prev = 1;
        s->wake_count = axes ? s->wake_count + 1 : 0;
        int event = axes && s->wake_count > dur;
        if (event)
            s->wake_src = (uint8_t)(0x08 | axes);
        if (s->reg[0x58] & 0x01)
            s->int1 = s->int1 || event;
        else
            s->int1 = event;
        s->wake_next_us += period;
    }
}

int sim_lsm6ds3_int1(const sim_lsm6ds3_t *s)
{
    return s->int1;
}

void sim_lsm6ds3_advance(sim_lsm6ds3_t *s, uint64_t now_us)
{
    const size_t cap = sizeof s->fifo / sizeof s->fifo[0];
    wake_advance(s, now_us);
    while (imu_running(s) && s->next_us <= (double)now_us) {
        sim_truth_t t;
        int16_t w[6];
        s->truth(s->user, (uint64_t)s->next_us, &t);
        for (int a = 0; a < 3; a++) {
            w[a] = sat16(t.gyro_dps[a] / 0.07);
            w[3 + a] = sat16(t.accel_g[a] / 0.000122);
        }
        for (int i = 0; i < 6; i++) {
            if (s->count == cap) { /* continuous mode: the oldest word goes */
                s->head = (s->head + 1) % cap;
                s->count--;
                s->pattern = (s->pattern + 1) % 6;
                s->overrun = 1;
            }
            s->fifo[(s->head + s->count++) % cap] = w[i];
        }
        s->next_us += imu_period_us(s);
    }
    s->now_us = now_us;
}

int sim_lsm6ds3_read(sim_lsm6ds3_t *s, uint8_t reg, uint8_t *data, uint16_t len)
{
    const size_t cap = sizeof s->fifo / sizeof s->fifo[0];
    for (uint16_t i = 0; i < len; i++) {
        unsigned r = (unsigned)reg + i;
        if (reg == 0x3E) { /* FIFO_DATA_OUT_L/H roll back: a burst pops words */
            int16_t word = 0;
            if (s->count) {
                word = s->fifo[s->head];
                if (i % 2) {
                    s->head = (s->head + 1) % cap;
                    s->count--;
                    s->pattern = (s->pattern + 1) % 6;
                }
            }
            data[i] = (uint8_t)((uint16_t)word >> (i % 2 ? 8 : 0));
            continue;
        }
        switch (r) {
        case 0x3A: data[i] = (uint8_t)s->count; break;
        case 0x3B:
            data[i] = (uint8_t)(((s->count >> 8) & 0x0F) | (s->overrun ? 0x40 : 0) |
                                (s->count ? 0 : 0x10));
            s->overrun = 0;
            break;
        case 0x3C: data[i] = (uint8_t)s->pattern; break;
        case 0x1B: /* WAKE_UP_SRC: reading it clears a latched event */
            data[i] = s->wake_src;
            s->wake_src = 0;
            s->int1 = 0;
            break;
        case 0x3D: data[i] = 0; break;
        default: data[i] = r < sizeof s->reg ? s->reg[r] : 0;
        }
    }
    return 0;
}

int sim_lsm6ds3_write(sim_lsm6ds3_t *s, uint8_t reg, const uint8_t *data, uint16_t len)
{
    for (uint16_t i = 0; i < len; i++) {
        unsigned r = (unsigned)reg + i;
        if (r >= sizeof s->reg || r == 0x0F)
            continue;
        int was_running = imu_running(s);
        s->reg[r] = data[i];
        if (r == 0x12 && (data[i] & 0x01)) { /* SW_RESET */
            uint8_t who = s->reg[0x0F];
            memset(s->reg, 0, sizeof s->reg);
            s->reg[0x0F] = who;
            s->reg[0x12] = 0x04;
            s->count = s->head = s->pattern = 0;
            s->int1 = 0;
            s->wake_src = 0;
        }
        if (r == 0x0A && (data[i] & 0x07) == 0) /* bypass empties the FIFO */
            s->count = s->head = s->pattern = 0;
        if (!was_running && imu_running(s))
            s->next_us = (double)s->now_us + imu_period_us(s);
    }
    wake_advance(s, s->now_us); /* a new configuration starts from now */
    return 0;
}
