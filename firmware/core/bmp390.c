/* BMP390 driver; see bmp390.h. Compensation in single precision: the Cortex-M4F has a
 * single-precision FPU, and float keeps the error near 0.05 Pa, far below the sensor's noise. */
#include "bmp390.h"

static int16_t s16(const uint8_t *p)
{
    return (int16_t)(uint16_t)(p[0] | (p[1] << 8));
}

static uint16_t u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t u24(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
}

void bmp390_parse_calib(const uint8_t nvm[BMP390_NVM_LEN], bmp390_calib_t *cal)
{
    /* Datasheet 8.4: PAR_x = NVM_PAR_x / 2^k; the scales are exact powers of two. */
    cal->t1 = (float)u16(nvm + 0) * 0x1p8f;
    cal->t2 = (float)u16(nvm + 2) * 0x1p-30f;
    cal->t3 = (float)(int8_t)nvm[4] * 0x1p-48f;
    cal->p1 = (float)(s16(nvm + 5) - 16384) * 0x1p-20f;
    cal->p2 = (float)(s16(nvm + 7) - 16384) * 0x1p-29f;
    cal->p3 = (float)(int8_t)nvm[9] * 0x1p-32f;
    cal->p4 = (float)(int8_t)nvm[10] * 0x1p-37f;
    cal->p5 = (float)u16(nvm + 11) * 0x1p3f;
    cal->p6 = (float)u16(nvm + 13) * 0x1p-6f;
    cal->p7 = (float)(int8_t)nvm[15] * 0x1p-8f;
    cal->p8 = (float)(int8_t)nvm[16] * 0x1p-15f;
    cal->p9 = (float)s16(nvm + 17) * 0x1p-48f;
    cal->p10 = (float)(int8_t)nvm[19] * 0x1p-48f;
    cal->p11 = (float)(int8_t)nvm[20] * 0x1p-65f;
}

float bmp390_compensate_temp(const bmp390_calib_t *cal, uint32_t raw)
{
    float d = (float)raw - cal->t1;
    return d * cal->t2 + d * d * cal->t3;
}

float bmp390_compensate_pressure(const bmp390_calib_t *cal, uint32_t raw, float t)
{
    float t2 = t * t, t3 = t2 * t, up = (float)raw;
    float out1 = cal->p5 + cal->p6 * t + cal->p7 * t2 + cal->p8 * t3;
    float out2 = up * (cal->p1 + cal->p2 * t + cal->p3 * t2 + cal->p4 * t3);
    float out3 = up * up * (cal->p9 + cal->p10 * t) + up * up * up * cal->p11;
    return out1 + out2 + out3;
}

int bmp390_init(bmp390_t *dev)
{
    const sb_bus_t *bus = &dev->bus;
    uint8_t nvm[BMP390_NVM_LEN];
    if (bus->read(bus->handle, BMP390_REG_CHIP_ID, &dev->chip_id, 1) != 0)
        return -1;
    if (dev->chip_id != BMP390_CHIP_ID && dev->chip_id != BMP388_CHIP_ID)
        return -2;
    if (sb_bus_write_u8(bus, BMP390_REG_CMD, BMP390_CMD_SOFTRESET) != 0)
        return -1;
    bus->delay_us(bus->handle, 2000); /* start-up after reset: 2 ms */
    if (bus->read(bus->handle, BMP390_REG_NVM, nvm, sizeof nvm) != 0)
        return -1;
    bmp390_parse_calib(nvm, &dev->cal);
    return 0;
}

int bmp390_start(bmp390_t *dev, uint16_t rate_hz)
{
    /* Oversampling as high as the conversion time allows at each rate (datasheet 3.9.1:
     * 234 + 392 + 2^osr_p * 2020 + 163 + 2020 us must stay under the period). */
    uint8_t odr, osr_p;
    switch (rate_hz) {
    case 200: odr = 0x00; osr_p = 0; break;
    case 100: odr = 0x01; osr_p = 1; break;
    case 50: odr = 0x02; osr_p = 3; break;
    case 25: odr = 0x03; osr_p = 4; break;
    default: return -2;
    }
    const sb_bus_t *bus = &dev->bus;
    const uint8_t config[][2] = {
        {BMP390_REG_PWR_CTRL, 0x00},        /* sleep while configuring */
        {BMP390_REG_OSR, osr_p},            /* osr_t x1 */
        {BMP390_REG_ODR, odr},
        {BMP390_REG_CONFIG, 0x02},          /* IIR coefficient 1: little lag on a press */
        {BMP390_REG_INT_CTRL, 0x12},        /* report FIFO full in INT_STATUS, active high */
        {BMP390_REG_FIFO_CONFIG_2, 0x08},   /* filtered data, no subsampling */
        {BMP390_REG_FIFO_CONFIG_1, BMP390_FIFO_CONFIG_1_ON}, /* on, stop when full, P and T */
        {BMP390_REG_CMD, BMP390_CMD_FIFO_FLUSH},
        {BMP390_REG_PWR_CTRL, BMP390_PWR_NORMAL_PT}, /* normal mode, P and T on */
    };
    for (size_t i = 0; i < sizeof config / sizeof config[0]; i++) {
        if (sb_bus_write_u8(bus, config[i][0], config[i][1]) != 0)
            return -1;
    }
    dev->odr = odr;
    return bmp390_read_time(dev);
}

uint32_t bmp390_period_ticks(const bmp390_t *dev)
{
    return (uint32_t)BMP390_TICKS_PER_5MS << dev->odr;
}

int bmp390_read_time(bmp390_t *dev)
{
    uint8_t t[3];
    if (dev->bus.read(dev->bus.handle, BMP390_REG_SENSORTIME, t, 3) != 0)
        return -1;
    dev->sensortime = u24(t);
    return 0;
}

int bmp390_check_config(bmp390_t *dev)
{
    uint8_t pwr, fifo;
    const sb_bus_t *bus = &dev->bus;
    if (bus->read(bus->handle, BMP390_REG_PWR_CTRL, &pwr, 1) != 0 ||
        bus->read(bus->handle, BMP390_REG_FIFO_CONFIG_1, &fifo, 1) != 0)
        return -1;
    return (pwr != BMP390_PWR_NORMAL_PT || fifo != BMP390_FIFO_CONFIG_1_ON) ? 1 : 0;
}

int bmp390_stop(bmp390_t *dev)
{
    const sb_bus_t *bus = &dev->bus;
    if (sb_bus_write_u8(bus, BMP390_REG_PWR_CTRL, 0x00) != 0 ||
        sb_bus_write_u8(bus, BMP390_REG_FIFO_CONFIG_1, 0x00) != 0)
        return -1;
    return 0;
}

/* Whole frames at the start of buf[0..len): compensated samples into out (up to max in all),
 * returns the bytes they took. *stop is set at an empty frame or bytes that are no frame:
 * nothing after them is data. A frame cut off at the end is left for the next transfer. */
static size_t parse_frames(bmp390_t *dev, const uint8_t *buf, size_t len, bmp390_sample_t *out,
                           size_t max, size_t *n, int *stop)
{
    size_t i = 0;
    *stop = 0;
    while (i < len && *n < max) {
        uint8_t h = buf[i];
        size_t size;
        if (h == BMP390_FIFO_FRAME_PT)
            size = BMP390_FRAME_PT_BYTES;
        else if (h == BMP390_FIFO_FRAME_T || h == BMP390_FIFO_FRAME_P ||
                 h == BMP390_FIFO_FRAME_TIME)
            size = 4; /* not configured; skipped if a reconfiguration left one behind */
        else if (h == BMP390_FIFO_FRAME_CFG_ERR || h == BMP390_FIFO_FRAME_CFG_CHG)
            size = 2;
        else {
            *stop = 1; /* empty frame or garbage */
            break;
        }
        if (i + size > len)
            break; /* cut off: sent again from its start by the next read */
        if (h == BMP390_FIFO_FRAME_PT) {
            float t = bmp390_compensate_temp(&dev->cal, u24(buf + i + 1));
            out[*n].temp_c = t;
            out[*n].pressure_pa = bmp390_compensate_pressure(&dev->cal, u24(buf + i + 4), t);
            (*n)++;
        }
        i += size;
    }
    return i;
}

int bmp390_read_fifo(bmp390_t *dev, bmp390_sample_t *out, size_t max, size_t *n, int *full)
{
    const sb_bus_t *bus = &dev->bus;
    /* SENSORTIME 0..2, EVENT, INT_STATUS (cleared by the read), FIFO_LENGTH_0, _1 */
    uint8_t st[BMP390_REG_FIFO_LENGTH + 2 - BMP390_REG_SENSORTIME];
    *n = 0;
    *full = 0;
    if (bus->read(bus->handle, BMP390_REG_SENSORTIME, st, sizeof st) != 0)
        return -1;
    dev->sensortime = u24(st);
    *full = (st[BMP390_REG_INT_STATUS - BMP390_REG_SENSORTIME] & BMP390_INT_FIFO_FULL) != 0;
    const uint8_t *len = st + (BMP390_REG_FIFO_LENGTH - BMP390_REG_SENSORTIME);
    size_t left = (size_t)(len[0] | ((len[1] & 0x01) << 8));
    if (left > BMP390_FIFO_BYTES)
        left = BMP390_FIFO_BYTES;
    /* Only as many frames as fit `out`, so nothing read is thrown away. */
    if (left > max * BMP390_FRAME_PT_BYTES)
        left = max * BMP390_FRAME_PT_BYTES;
    while (left && *n < max) {
        uint16_t chunk = (uint16_t)(left > BMP390_FIFO_XFER ? BMP390_FIFO_XFER : left);
        int stop;
        if (bus->read(bus->handle, BMP390_REG_FIFO_DATA, dev->fifo, chunk) != 0)
            return -1;
        size_t used = parse_frames(dev, dev->fifo, chunk, out, max, n, &stop);
        if (stop || used == 0)
            break;
        left -= used;
    }
    return 0;
}
