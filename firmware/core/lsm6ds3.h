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
    LSM6DS3_REG_FIFO_STATUS1 = 0x3A, /* ..STATUS4 at 0x3D */
    LSM6DS3_REG_FIFO_DATA_OUT_L = 0x3E
};

enum {
    LSM6DS3_CTRL3_BDU = 0x40,
    LSM6DS3_CTRL3_IF_INC = 0x04,
    LSM6DS3_CTRL3_SW_RESET = 0x01,
    LSM6DS3_FIFO_OVER_RUN = 0x40, /* in FIFO_STATUS2 */
    LSM6DS3_FIFO_MODE_CONTINUOUS = 0x06,
    LSM6DS3_WORDS_PER_SET = 6 /* gyro x, y, z then accel x, y, z */
};

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

#ifdef __cplusplus
}
#endif

#endif
