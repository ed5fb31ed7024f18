/* Register-level models of the BMP390 and the LSM6DS3 for host builds: the firmware's
 * drivers talk to them exactly as to the chips (registers, FIFOs, overflow), and the values
 * come from a scenario. Time only moves when the caller says so. */
#ifndef SIM_SENSORS_H
#define SIM_SENSORS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the sensors measure at a time: the scenario. */
typedef struct {
    double pressure_pa, temp_c;
    double gyro_dps[3], accel_g[3];
} sim_truth_t;

typedef void (*sim_truth_fn)(void *user, uint64_t t_us, sim_truth_t *out);

/* The BMP390 runs on its own oscillator: SENSORTIME (0x0C..0x0E, 24 bits) counts
 * 25.6 kHz ticks of it (39.0625 us), restarting at a reset, and in normal mode a sample is
 * taken every period on that counter's grid (5 ms << odr = 128 << odr ticks), as Bosch's
 * FIFO sensors do. clock_scale is the oscillator's error (1.02: 2 % fast). */
typedef struct {
    uint8_t reg[128];
    uint8_t fifo[512];
    size_t fifo_len;
    uint8_t int_status;
    uint64_t now_us;
    double clock_scale;
    uint64_t reset_us;      /* MCU time of the last reset: SENSORTIME 0 */
    uint64_t next_tick;     /* the next sample's SENSORTIME, on the grid */
    uint64_t produced;      /* samples converted since the last start of normal mode */
    uint64_t lost_full;     /* of them, not stored: the FIFO was full (stop on full) */
    uint64_t lost_total;    /* since init, for tests across restarts */
    sim_truth_fn truth;
    void *user;
    double t1, t2, t3, p[11]; /* trim values in double: the model's own inverse */
} sim_bmp390_t;

typedef struct {
    uint8_t reg[128];
    int16_t fifo[4092]; /* words: gyro x y z, accel x y z; 682 whole sets */
    size_t head, count, pattern;
    int overrun;
    uint64_t now_us;
    double next_us;
    double rate_scale; /* 1.0: the datasheet's rate; other values model oscillator error */
    /* wake-up function */
    double wake_next_us, wake_prev[3];
    int wake_have_prev;
    unsigned wake_count;
    uint8_t wake_src;
    int int1; /* level of the INT1 pin */
    sim_truth_fn truth;
    void *user;
} sim_lsm6ds3_t;

/* A plausible set of BMP390 trim values (NVM 0x31..0x45). */
extern const uint8_t sim_bmp390_default_nvm[21];

void sim_bmp390_init(sim_bmp390_t *s, const uint8_t nvm[21], sim_truth_fn truth, void *user);
void sim_bmp390_advance(sim_bmp390_t *s, uint64_t now_us);
int sim_bmp390_read(sim_bmp390_t *s, uint8_t reg, uint8_t *data, uint16_t len);
int sim_bmp390_write(sim_bmp390_t *s, uint8_t reg, const uint8_t *data, uint16_t len);
/* The raw ADC codes the chip would report for a temperature and a pressure. */
uint32_t sim_bmp390_raw_temp(const sim_bmp390_t *s, double temp_c);
uint32_t sim_bmp390_raw_pressure(const sim_bmp390_t *s, double pressure_pa, double temp_c);
/* SENSORTIME at an MCU time (not wrapped to 24 bits). */
uint64_t sim_bmp390_ticks(const sim_bmp390_t *s, uint64_t now_us);
/* A reset as the chip does on a brown-out or a glitch on its supply: every register to its
 * default (sleep mode, FIFO off), SENSORTIME from 0. It answers on the bus as before. */
void sim_bmp390_reset(sim_bmp390_t *s, uint64_t now_us);

void sim_lsm6ds3_init(sim_lsm6ds3_t *s, uint8_t who_am_i, sim_truth_fn truth, void *user);
void sim_lsm6ds3_advance(sim_lsm6ds3_t *s, uint64_t now_us);
int sim_lsm6ds3_read(sim_lsm6ds3_t *s, uint8_t reg, uint8_t *data, uint16_t len);
int sim_lsm6ds3_write(sim_lsm6ds3_t *s, uint8_t reg, const uint8_t *data, uint16_t len);
/* The INT1 pin (wake-up routed to it with MD1_CFG); advance first. */
int sim_lsm6ds3_int1(const sim_lsm6ds3_t *s);

#ifdef __cplusplus
}
#endif

#endif
