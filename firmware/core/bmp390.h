/* Bosch BMP390 (and BMP388) barometric pressure sensor: FIFO streaming of pressure and
 * temperature, with the datasheet's floating-point compensation from the NVM trim values.
 * Written from the datasheet (BST-BMP390-DS002); no board code. */
#ifndef BMP390_H
#define BMP390_H

#include <stddef.h>
#include <stdint.h>

#include "sb_bus.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BMP390_I2C_ADDR 0x77u     /* SDO high, as on Adafruit's breakout */
#define BMP390_I2C_ADDR_ALT 0x76u /* SDO low (other breakouts, or Adafruit's with SDO grounded) */
#define BMP390_CHIP_ID 0x60u
#define BMP388_CHIP_ID 0x50u

enum {
    BMP390_REG_CHIP_ID = 0x00,
    BMP390_REG_ERR = 0x02,
    BMP390_REG_STATUS = 0x03,
    BMP390_REG_DATA = 0x04,
    BMP390_REG_SENSORTIME = 0x0C, /* 24 bits, 0x0C..0x0E */
    BMP390_REG_INT_STATUS = 0x11,
    BMP390_REG_FIFO_LENGTH = 0x12,
    BMP390_REG_FIFO_DATA = 0x14,
    BMP390_REG_FIFO_WTM = 0x15,
    BMP390_REG_FIFO_CONFIG_1 = 0x17,
    BMP390_REG_FIFO_CONFIG_2 = 0x18,
    BMP390_REG_INT_CTRL = 0x19,
    BMP390_REG_IF_CONF = 0x1A,
    BMP390_REG_PWR_CTRL = 0x1B,
    BMP390_REG_OSR = 0x1C,
    BMP390_REG_ODR = 0x1D,
    BMP390_REG_CONFIG = 0x1F,
    BMP390_REG_NVM = 0x31, /* 21 bytes of trim values, 0x31..0x45 */
    BMP390_REG_CMD = 0x7E
};

enum {
    BMP390_CMD_FIFO_FLUSH = 0xB0,
    BMP390_CMD_SOFTRESET = 0xB6,
    BMP390_FIFO_FRAME_PT = 0x94, /* pressure and temperature */
    BMP390_FIFO_FRAME_T = 0x90,
    BMP390_FIFO_FRAME_P = 0x84,
    BMP390_FIFO_FRAME_TIME = 0xA0,
    BMP390_FIFO_FRAME_EMPTY = 0x80,
    BMP390_FIFO_FRAME_CFG_ERR = 0x44,
    BMP390_FIFO_FRAME_CFG_CHG = 0x48,
    BMP390_INT_FIFO_FULL = 0x02,
    BMP390_FIFO_BYTES = 512,
    BMP390_FRAME_PT_BYTES = 7,
    /* FIFO bytes per transfer: four whole pressure+temperature frames. A read that stops
     * inside a frame gets that frame again from its start on the next read (as Bosch's
     * FIFOs do), so a transfer must not split one: 32 bytes would. */
    BMP390_FIFO_XFER = 4 * BMP390_FRAME_PT_BYTES,
    /* SENSORTIME counts the sensor's own 25.6 kHz oscillator (39.0625 us); the sample
     * period at odr_sel n is 5 ms << n, that is 128 << n of its ticks, exactly. */
    BMP390_TICKS_PER_5MS = 128,
    BMP390_PWR_NORMAL_PT = 0x33,
    BMP390_FIFO_CONFIG_1_ON = 0x1B
};

#define BMP390_NVM_LEN 21u

/* Trim values already scaled to floating point (datasheet section 8.4). */
typedef struct {
    float t1, t2, t3;
    float p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11;
} bmp390_calib_t;

typedef struct {
    float pressure_pa;
    float temp_c;
} bmp390_sample_t;

typedef struct {
    sb_bus_t bus;
    uint8_t chip_id;
    bmp390_calib_t cal;
    uint8_t odr; /* odr_sel of the running stream */
    uint32_t sensortime; /* SENSORTIME at the last FIFO read (24 bits) */
    uint8_t fifo[BMP390_FIFO_XFER];
} bmp390_t;

void bmp390_parse_calib(const uint8_t nvm[BMP390_NVM_LEN], bmp390_calib_t *cal);
float bmp390_compensate_temp(const bmp390_calib_t *cal, uint32_t raw);
/* temp_c is the result of bmp390_compensate_temp (the datasheet's t_lin). */
float bmp390_compensate_pressure(const bmp390_calib_t *cal, uint32_t raw, float temp_c);

/* Checks the chip id, soft-resets, reads the trim values. 0 on success. */
int bmp390_init(bmp390_t *dev);
/* Normal mode at rate_hz (200, 100, 50 or 25), pressure and temperature into the FIFO,
 * stopping when full so what is kept is contiguous. */
int bmp390_start(bmp390_t *dev, uint16_t rate_hz);
int bmp390_stop(bmp390_t *dev);
/* Reads and compensates every whole frame in the FIFO (at most max). *full is set when
 * the FIFO had filled since the last read: later samples were lost. The FIFO's fill level,
 * its full flag and SENSORTIME come from one burst (0x0C..0x13), so dev->sensortime is the
 * sensor's time at which the FIFO held exactly the frames read. 0 on success. */
int bmp390_read_fifo(bmp390_t *dev, bmp390_sample_t *out, size_t max, size_t *n, int *full);
/* SENSORTIME now, into dev->sensortime. 0 on success. */
int bmp390_read_time(bmp390_t *dev);
/* The sample period in SENSORTIME ticks of the running stream. */
uint32_t bmp390_period_ticks(const bmp390_t *dev);
/* 0 if the chip still has the configuration bmp390_start wrote (normal mode, FIFO on);
 * 1 if it has lost it (a reset: it answers, but streams nothing); -1 if it does not answer. */
int bmp390_check_config(bmp390_t *dev);

#ifdef __cplusplus
}
#endif

#endif
