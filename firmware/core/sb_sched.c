/* Sample scheduler; see sb_sched.h. */
#include "sb_sched.h"

#include <string.h>

uint32_t sb_sched_period_us(uint16_t rate_hz, int have_baro)
{
    if (rate_hz == 0)
        return 0;
    /* The BMP390 runs at exactly 200 / 2^n Hz; the LSM6DS3 at 26, 52, 104, 208 Hz. */
    uint32_t hz = have_baro ? rate_hz : (uint32_t)rate_hz + rate_hz / 25u;
    return (1000000u + hz / 2u) / hz;
}

void sb_sched_init(sb_sched_t *s, bmp390_t *baro, lsm6ds3_t *imu, sb_emit_fn emit, void *ctx)
{
    memset(s, 0, sizeof *s);
    s->baro = baro;
    s->imu = imu;
    s->emit = emit;
    s->emit_ctx = ctx;
}

static size_t capacity(const sb_sched_t *s)
{
    size_t fit = sb_records_fit(s->channels, SB_MAX_FRAME);
    return (s->max_records && s->max_records < fit) ? s->max_records : fit;
}

static void flush(sb_sched_t *s)
{
    if (s->batch_n == 0)
        return;
    float t = s->temp_c * 100.0f;
    t = t > 32767.0f ? 32767.0f : t < -32768.0f ? -32768.0f : t;
    sb_batch_t b = {
        .first_index = s->batch_first,
        .flags = (uint8_t)(s->channels | s->batch_flags),
        .temperature_cdeg = (int16_t)(t < 0 ? t - 0.5f : t + 0.5f),
        .records = s->batch,
        .len = s->batch_len,
        .count = s->batch_n,
    };
    s->emit(s->emit_ctx, &b);
    s->batch_n = s->batch_len = 0;
    s->batch_flags = 0;
}

static void add_record(sb_sched_t *s, const sb_record_t *rec, int saturated, uint64_t now_us)
{
    if (s->batch_n == 0) {
        s->batch_first = s->next_index;
        s->batch_open_us = now_us;
        s->batch_flags = s->pending_flags;
        s->pending_flags = 0;
    }
    if (saturated)
        s->batch_flags |= SB_SAMPLES_SATURATED;
    s->batch_len += sb_put_record(s->batch + s->batch_len, s->channels, rec);
    s->batch_n++;
    s->next_index++;
    if (s->batch_n >= capacity(s) || (uint64_t)s->batch_n * s->period_us >= SB_BATCH_US)
        flush(s);
}

static uint32_t to_cpa(float pa)
{
    float cpa = pa * 100.0f + 0.5f;
    if (cpa <= 0.0f)
        return 0;
    if (cpa >= 4294967040.0f) /* largest float below 2^32 */
        return 0xFFFFFFFFu;
    return (uint32_t)cpa;
}

static void skip(sb_sched_t *s, uint32_t lost)
{
    flush(s);
    s->next_index += lost;
    s->dropped += lost;
    s->last_lost = lost;
    s->pending_flags |= SB_SAMPLES_FIFO_OVERFLOW;
}

/* Samples the pressure sensor has taken since the stream started, on its own clock; -1 if
 * its clock went further than ours could allow (it restarted from 0 at a reset). */
static int64_t baro_taken(sb_sched_t *s, uint64_t now_us)
{
    uint64_t low = s->st & 0xFFFFFFu;
    uint64_t ticks = (s->baro->sensortime - low) & 0xFFFFFFu; /* wraps every 655 s */
    /* 25.6 ticks per ms: twice that, and a margin, is no oscillator's error. */
    uint64_t most = (now_us - s->st_read_us) * 2u * 256u / 10000u + 256u;
    if (ticks > most)
        return -1;
    s->st += ticks;
    s->st_read_us = now_us;
    return (int64_t)(s->st / s->st_period - s->st_grid0) + s->st_adj;
}

static void anchor_clock(sb_sched_t *s, uint64_t now_us)
{
    s->st = s->baro->sensortime;
    s->st_period = bmp390_period_ticks(s->baro);
    s->st_grid0 = s->st / s->st_period;
    s->st_adj = s->next_index;
    s->st_read_us = now_us;
    s->last_frame_us = now_us;
    s->stall_checks = 0;
}

/* No frame for a while: has the sensor lost its configuration (a reset), or stopped? */
static int check_stall(sb_sched_t *s, uint64_t now_us)
{
    if (now_us - s->last_frame_us < SB_STALL_PERIODS * s->period_us + 2u * SB_READ_EVERY_US)
        return 0;
    int rc = bmp390_check_config(s->baro);
    if (rc < 0)
        return SB_FAULT_BARO;
    if (rc > 0)
        return SB_FAULT_BARO_RESET;
    return ++s->stall_checks >= SB_STALL_CHECKS ? SB_FAULT_BARO_STALL : 0;
}

/* Fills records from the pressure FIFO, pairing each with the IMU set due at the same
 * position: the IMU runs about 4 % faster, so sets are spread evenly over the records and
 * the surplus dropped; when it lags, the last set is held. */
static int read_baro_clocked(sb_sched_t *s, uint64_t now_us)
{
    size_t np = 0, ni = 0, consumed = 0, chunk_start = 0;
    int full = 0, overrun = 0;
    if (bmp390_read_fifo(s->baro, s->baro_buf, sizeof s->baro_buf / sizeof s->baro_buf[0], &np,
                         &full) != 0)
        return SB_FAULT_BARO;
    /* What the sensor took by the time of the burst, against what we have: the FIFO stops
     * when full, so a shortfall with the full flag comes after the frames it kept; without
     * it (frames taken while the last full FIFO was being read), before them. */
    int64_t taken = baro_taken(s, now_us), have = (int64_t)s->next_index + (int64_t)np;
    if (taken < 0)
        return SB_FAULT_BARO_RESET;
    uint32_t lost = 0;
    if (taken > have)
        lost = (uint32_t)(taken - have);
    else
        s->st_adj += have - taken; /* a sample on the grid's edge: the sensor is the judge */
    if (lost && !full)
        skip(s, lost);
    if (np == 0)
        return check_stall(s, now_us);
    s->last_frame_us = now_us;
    s->stall_checks = 0;
    if (s->use_imu && lsm6ds3_fifo_status(s->imu, &ni, &overrun) != 0)
        return SB_FAULT_IMU;
    if (overrun)
        s->pending_flags |= SB_SAMPLES_FIFO_OVERFLOW;
    for (size_t k = 0; k < np; k++) {
        size_t due = ni * (k + 1) / np;
        while (consumed < due) {
            size_t n = ni - consumed;
            n = n > SB_IMU_CHUNK ? SB_IMU_CHUNK : n;
            if (lsm6ds3_read_sets(s->imu, s->imu_buf, n) != 0)
                return SB_FAULT_IMU;
            chunk_start = consumed;
            consumed += n;
        }
        if (due)
            s->imu_hold = s->imu_buf[due - 1 - chunk_start];
        const bmp390_sample_t *p = &s->baro_buf[k];
        sb_record_t rec;
        rec.pressure_cpa = to_cpa(p->pressure_pa);
        memcpy(rec.gyro, s->imu_hold.gyro, sizeof rec.gyro);
        memcpy(rec.accel, s->imu_hold.accel, sizeof rec.accel);
        s->temp_c = p->temp_c;
        add_record(s, &rec, p->pressure_pa <= SB_PRESSURE_MIN_PA ||
                                p->pressure_pa >= SB_PRESSURE_MAX_PA, now_us);
    }
    if (full) {
        /* The FIFO stopped when full: the samples the sensor took after what it kept are
         * gone; skip that many indices so the host's gap is exact. */
        if (lost)
            skip(s, lost);
        else
            flush(s);
        s->pending_flags |= SB_SAMPLES_FIFO_OVERFLOW;
    }
    return 0;
}

static int read_imu_clocked(sb_sched_t *s, uint64_t now_us)
{
    size_t ni = 0;
    int overrun = 0;
    if (lsm6ds3_fifo_status(s->imu, &ni, &overrun) != 0)
        return SB_FAULT_IMU;
    if (overrun) {
        /* Continuous mode overwrote the oldest sets: count them from the clock. */
        uint64_t expected = (now_us - s->t0_us) / s->period_us;
        flush(s);
        if (expected > s->next_index + ni) {
            uint32_t lost = (uint32_t)(expected - s->next_index - ni);
            s->next_index += lost;
            s->dropped += lost;
        }
        s->pending_flags |= SB_SAMPLES_FIFO_OVERFLOW;
    }
    while (ni) {
        size_t n = ni > SB_IMU_CHUNK ? SB_IMU_CHUNK : ni;
        if (lsm6ds3_read_sets(s->imu, s->imu_buf, n) != 0)
            return SB_FAULT_IMU;
        for (size_t i = 0; i < n; i++) {
            sb_record_t rec = {0};
            memcpy(rec.gyro, s->imu_buf[i].gyro, sizeof rec.gyro);
            memcpy(rec.accel, s->imu_buf[i].accel, sizeof rec.accel);
            add_record(s, &rec, 0, now_us);
        }
        ni -= n;
    }
    return 0;
}

int sb_sched_start(sb_sched_t *s, uint16_t rate_hz, uint8_t channels, uint64_t now_us)
{
    uint32_t period = sb_sched_period_us(rate_hz, s->baro != NULL);
    if (period == 0 || channels == 0 || (channels & ~SB_CH_ALL) ||
        (!s->baro && (channels & SB_CH_PRESSURE)) ||
        (!s->imu && (channels & (SB_CH_GYRO | SB_CH_ACCEL))) || (!s->baro && !s->imu))
        return -2;
    /* The pressure sensor runs whenever it is there: it is the sample clock. The IMU runs
     * only when its channels are asked for (it draws about 1 mA). */
    s->use_imu = s->imu != NULL && (channels & (SB_CH_GYRO | SB_CH_ACCEL)) != 0;
    if (s->baro && bmp390_start(s->baro, rate_hz) != 0)
        s->faults |= SB_FAULT_BARO;
    else if (s->use_imu && lsm6ds3_start(s->imu, rate_hz) != 0)
        s->faults |= SB_FAULT_IMU;
    else
        s->faults = 0;
    if (s->faults)
        return -1;
    s->running = 1;
    s->channels = channels;
    s->period_us = period;
    s->rate_hz = rate_hz;
    s->t0_us = now_us;
    s->next_read_us = now_us + SB_READ_EVERY_US;
    s->next_index = 0;
    if (s->baro)
        anchor_clock(s, now_us);
    s->batch_n = s->batch_len = 0;
    s->batch_flags = s->pending_flags = 0;
    memset(&s->imu_hold, 0, sizeof s->imu_hold);
    return 0;
}

void sb_sched_stop(sb_sched_t *s, uint64_t now_us)
{
    if (!s->running)
        return;
    s->next_read_us = now_us; /* one last read so nothing sampled before STOP is lost */
    sb_sched_poll(s, now_us);
    flush(s);
    s->running = 0;
    if (s->baro)
        (void)bmp390_stop(s->baro);
    if (s->use_imu)
        (void)lsm6ds3_stop(s->imu);
}

int sb_sched_restart_baro(sb_sched_t *s, uint64_t now_us)
{
    if (!s->running || !s->baro)
        return -1;
    if (bmp390_start(s->baro, s->rate_hz) != 0)
        return -1;
    uint64_t gap = (now_us - s->last_frame_us) / s->period_us;
    skip(s, (uint32_t)gap);
    anchor_clock(s, now_us);
    s->faults &= ~(SB_FAULT_BARO | SB_FAULT_BARO_RESET | SB_FAULT_BARO_STALL);
    s->next_read_us = now_us + SB_READ_EVERY_US;
    return 0;
}

int sb_sched_restart_imu(sb_sched_t *s, uint64_t now_us)
{
    (void)now_us;
    if (!s->running || !s->imu || !s->use_imu)
        return -1;
    if (lsm6ds3_start(s->imu, s->rate_hz) != 0)
        return -1;
    s->faults &= ~SB_FAULT_IMU;
    return 0;
}

void sb_sched_set_max_records(sb_sched_t *s, size_t max_records, uint64_t now_us)
{
    (void)now_us;
    s->max_records = max_records;
    if (s->batch_n && s->batch_n >= capacity(s))
        flush(s);
}

void sb_sched_poll(sb_sched_t *s, uint64_t now_us)
{
    if (!s->running)
        return;
    if ((int64_t)(now_us - s->next_read_us) >= 0) {
        s->next_read_us = now_us + SB_READ_EVERY_US;
        /* While a fault waits for its recovery (sb_app), the sensor is left alone. */
        if (!s->faults)
            s->faults |= s->baro ? read_baro_clocked(s, now_us) : read_imu_clocked(s, now_us);
    }
    if (s->batch_n && now_us - s->batch_open_us >= SB_STALL_US)
        flush(s);
}
