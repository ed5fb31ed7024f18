/* The sample scheduler: drains the sensors' FIFOs, turns what they hold into numbered
 * records on the pressure sensor's sample clock, and closes batches by sample time (about
 * 20 ms) or by the frame size the links allow. It never reads a clock: every call takes
 * the time, so tests drive it. */
#ifndef SB_SCHED_H
#define SB_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "bmp390.h"
#include "lsm6ds3.h"
#include "sb_frame.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SB_BATCH_US 20000u      /* a frame carries about this much sample time */
#define SB_STALL_US 50000u      /* a batch older than this goes out anyway */
#define SB_READ_EVERY_US 10000u /* FIFO reads; the FIFOs hold far more than this */
#define SB_PRESSURE_MIN_PA 30000.0f  /* BMP390 range: 300..1250 hPa */
#define SB_PRESSURE_MAX_PA 125000.0f

/* Faults the scheduler found since the last start or recovery. */
enum {
    SB_FAULT_BARO = 1,       /* a transfer with the pressure sensor failed (NACK, bus error) */
    SB_FAULT_IMU = 2,        /* a transfer with the IMU failed */
    SB_FAULT_BARO_RESET = 4, /* it answers but lost its configuration: it reset */
    SB_FAULT_BARO_STALL = 8  /* it answers, configured, but its FIFO has not filled */
};
/* No pressure frame for this many periods (plus two FIFO reads): the sensor's
 * configuration is checked; for SB_STALL_CHECKS such checks in a row it counts as stalled. */
#define SB_STALL_PERIODS 4u
#define SB_IMU_CHUNK 8u /* IMU sets read per pass */
#define SB_STALL_CHECKS 8u

typedef struct {
    uint32_t first_index;
    uint8_t flags; /* channel mask | SB_SAMPLES_FIFO_OVERFLOW | SB_SAMPLES_SATURATED */
    int16_t temperature_cdeg;
    const uint8_t *records; /* wire layout */
    size_t len;
    size_t count;
} sb_batch_t;

typedef void (*sb_emit_fn)(void *ctx, const sb_batch_t *batch);

typedef struct {
    bmp390_t *baro;  /* NULL: absent; the IMU's FIFO is then the sample clock */
    lsm6ds3_t *imu;  /* NULL: absent */
    sb_emit_fn emit;
    void *emit_ctx;

    int running;
    int use_imu;
    uint8_t channels;
    uint16_t rate_hz;
    uint32_t period_us;
    uint64_t t0_us;
    uint64_t next_read_us;
    uint32_t next_index;
    uint32_t dropped; /* samples lost to a sensor FIFO overflow, since boot */
    int faults; /* SB_FAULT_* seen since the last start */

    /* The pressure sensor's own clock (its SENSORTIME, 24 bits, extended here): the number
     * of samples it has taken is (st / period) - st_grid0 + st_adj; every sample it took
     * and we did not get is a lost index, counted on its clock, not ours. */
    uint64_t st;
    uint64_t st_grid0;
    int64_t st_adj;
    uint32_t st_period;
    uint64_t st_read_us; /* MCU time of the last SENSORTIME read */
    uint64_t last_frame_us; /* MCU time of the last read that brought pressure frames */
    unsigned stall_checks;
    uint32_t last_lost; /* samples the last recovery or overflow skipped */
    size_t max_records;

    lsm6ds3_set_t imu_hold; /* last IMU set, held while the IMU lags the pressure clock */
    float temp_c;

    uint8_t batch[SB_MAX_FRAME];
    size_t batch_len, batch_n;
    uint32_t batch_first;
    uint8_t batch_flags, pending_flags;
    uint64_t batch_open_us;

    bmp390_sample_t baro_buf[BMP390_FIFO_BYTES / 7 + 1];
    lsm6ds3_set_t imu_buf[SB_IMU_CHUNK];
} sb_sched_t;

void sb_sched_init(sb_sched_t *s, bmp390_t *baro, lsm6ds3_t *imu, sb_emit_fn emit, void *ctx);
/* Starts both sensors at rate_hz; channels is the record layout. 0 on success. */
int sb_sched_start(sb_sched_t *s, uint16_t rate_hz, uint8_t channels, uint64_t now_us);
/* Emits what is batched, then stops the sensors. */
void sb_sched_stop(sb_sched_t *s, uint64_t now_us);
/* Largest record count per frame; a smaller value than the batch holds closes it now. */
void sb_sched_set_max_records(sb_sched_t *s, size_t max_records, uint64_t now_us);
void sb_sched_poll(sb_sched_t *s, uint64_t now_us);
/* After a recovery re-initialised the pressure sensor: starts it again at the stream's rate
 * and goes on numbering. The sensor's count was lost with it, so the indices skip the
 * periods of the MCU clock since the last good read (about what was lost). 0 on success. */
int sb_sched_restart_baro(sb_sched_t *s, uint64_t now_us);
/* The same for the IMU. */
int sb_sched_restart_imu(sb_sched_t *s, uint64_t now_us);
/* Sample period the records really have (the IMU's when it is the clock). */
uint32_t sb_sched_period_us(uint16_t rate_hz, int have_baro);

#ifdef __cplusplus
}
#endif

#endif
