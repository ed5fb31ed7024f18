/* ST LSM6DS3 / LSM6DS3TR-C 6-axis IMU (the XIAO nRF52840 Sense's on-board IMU): gyro and
 * accelerometer into the FIFO in continuous mode, read back as whole gyro+accel sets.
 * Written from the datasheets (DocID026899, DocID028475); no board code. */
#ifndef LSM6DS3_H
#define LSM6DS3_H

#include <stddef.h>
#include <stdint.h>

#include "sb_bus.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LSM6DS3_I2C_ADDR 0x6Au
#define LSM6DS3_WHO_AM_I 0x69u
#define LSM6DS3TRC_WHO_AM_I 0x6Au
/* Full scales chosen by lsm6ds3_start: +-2000 dps and +-4 g. */
#define LSM6DS3_GYRO_DPS_PER_LSB 0.07f
#define LSM6DS3_ACCEL_G_PER_LSB 0.000122f

enum {
    LSM6DS3_REG_FIFO_CTRL1 = 0x06,
    LSM6DS3_REG_FIFO_CTRL2 = 0x07,
    LSM6DS3_REG_FIFO_CTRL3 = 0x08,
    LSM6DS3_REG_FIFO_CTRL4 = 0x09,
    LSM6DS3_REG_FIFO_CTRL5 = 0x0A,
    LSM6DS3_REG_WHO_AM_I = 0x0F,
    LSM6DS3_REG_CTRL1_XL = 0x10,
    LSM6DS3_REG_CTRL2_G = 0x11,
    LSM6DS3_REG_CTRL3_C = 0x12,
    LSM6DS3_REG_CTRL6_C = 0x15,
    LSM6DS3_REG_WAKE_UP_SRC = 0x1B,
    LSM6DS3_REG_FIFO_STATUS1 = 0x3A, /* ..STATUS4 at 0x3D */
    LSM6DS3_REG_FIFO_DATA_OUT_L = 0x3E,
    LSM6DS3_REG_TAP_CFG = 0x58,
    LSM6DS3_REG_WAKE_UP_THS = 0x5B,
    LSM6DS3_REG_WAKE_UP_DUR = 0x5C,
    LSM6DS3_REG_MD1_CFG = 0x5E
};

enum {
    LSM6DS3_CTRL3_BDU = 0x40,
    LSM6DS3_CTRL3_IF_INC = 0x04,
    LSM6DS3_CTRL3_SW_RESET = 0x01,
    LSM6DS3_FIFO_OVER_RUN = 0x40, /* in FIFO_STATUS2 */
    LSM6DS3_FIFO_MODE_CONTINUOUS = 0x06,
    LSM6DS3_WORDS_PER_SET = 6, /* gyro x, y, z then accel x, y, z */
    /* Wake-up (datasheets' WAKE_UP_THS, TAP_CFG, MD1_CFG; ST's application notes AN4650 for
     * the LSM6DS3 and AN5130 for the LSM6DS3TR-C, section "Wake-up interrupt"). */
    LSM6DS3_CTRL1_XL_26HZ_2G = 0x20,       /* ODR_XL 26 Hz, FS_XL +-2 g */
    LSM6DS3_CTRL6_XL_LOW_POWER = 0x10,     /* XL_HM_MODE: high-performance off */
    LSM6DS3_TAP_CFG_INTERRUPTS_ENABLE = 0x80, /* LSM6DS3TR-C only; on the LSM6DS3 bit 7 is
                                                  TIMER_EN and wake-up needs no enable */
    LSM6DS3_TAP_CFG_LIR = 0x01,            /* latched: INT1 stays high until WAKE_UP_SRC is read */
    LSM6DS3_MD1_INT1_WU = 0x20,            /* wake-up event routed to INT1 */
    LSM6DS3_WAKE_UP_SRC_WU_IA = 0x08
};

/* One WAKE_UP_THS step: FS_XL / 2^6, at +-2 g 31.25 mg. */
#define LSM6DS3_WAKE_MG_PER_LSB 31.25f
/* The slope filter compares half the change between two samples with the threshold: one step
 * (31.25 mg) wakes on a change of 62.5 mg within 38 ms at 26 Hz. Picking the ball up or a
 * hand rolling it changes the acceleration by more; a ball lying still (noise of a few mg)
 * stays far below. */
#define LSM6DS3_WAKE_THRESHOLD_MG 31u

typedef struct {
    int16_t gyro[3];
    int16_t accel[3];
} lsm6ds3_set_t;

typedef struct {
    sb_bus_t bus;
    uint8_t who_am_i;
} lsm6ds3_t;

int lsm6ds3_init(lsm6ds3_t *dev);
/* Both sensors and the FIFO at the nearest data rate at or above rate_hz (26, 52, 104, 208). */
int lsm6ds3_start(lsm6ds3_t *dev, uint16_t rate_hz);
int lsm6ds3_stop(lsm6ds3_t *dev);
/* Whole sets waiting in the FIFO (after realigning to a set boundary) and the overrun flag. */
int lsm6ds3_fifo_status(lsm6ds3_t *dev, size_t *sets, int *overrun);
/* Reads exactly n sets (n <= what lsm6ds3_fifo_status reported). */
int lsm6ds3_read_sets(lsm6ds3_t *dev, lsm6ds3_set_t *out, size_t n);
/* Low-power accelerometer only (26 Hz, gyro and FIFO off) with the wake-up interrupt on INT1:
 * a change of more than threshold_mg between two samples on any axis (the slope filter)
 * raises INT1 and holds it until WAKE_UP_SRC is read. Any event already latched is cleared
 * before it returns, so INT1 is low then. 0 on success. */
int lsm6ds3_arm_wake(lsm6ds3_t *dev, uint16_t threshold_mg);

#ifdef __cplusplus
}
#endif

#endif
