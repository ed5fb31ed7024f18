/* LSM6DS3 driver; see lsm6ds3.h. */
#include "lsm6ds3.h"

int lsm6ds3_init(lsm6ds3_t *dev)
{
    const sb_bus_t *bus = &dev->bus;
    if (bus->read(bus->handle, LSM6DS3_REG_WHO_AM_I, &dev->who_am_i, 1) != 0)
        return -1;
    if (dev->who_am_i != LSM6DS3_WHO_AM_I && dev->who_am_i != LSM6DS3TRC_WHO_AM_I)
        return -2;
    if (sb_bus_write_u8(bus, LSM6DS3_REG_CTRL3_C, LSM6DS3_CTRL3_SW_RESET) != 0)
        return -1;
    bus->delay_us(bus->handle, 100); /* the reset bit clears itself within 50 us */
    return sb_bus_write_u8(bus, LSM6DS3_REG_CTRL3_C, LSM6DS3_CTRL3_BDU | LSM6DS3_CTRL3_IF_INC);
}

int lsm6ds3_start(lsm6ds3_t *dev, uint16_t rate_hz)
{
    /* ODR codes 2..5 are 26, 52, 104, 208 Hz (12.5 * 2^(code-1)); the same code sets the
     * FIFO rate. The sample clock is the pressure sensor's, so the IMU runs a little faster
     * and the scheduler resamples it. */
    uint8_t odr;
    switch (rate_hz) {
    case 25: odr = 2; break;
    case 50: odr = 3; break;
    case 100: odr = 4; break;
    case 200: odr = 5; break;
    default: return -2;
    }
    const sb_bus_t *bus = &dev->bus;
    const uint8_t config[][2] = {
        {LSM6DS3_REG_FIFO_CTRL5, 0x00},                  /* bypass: empties the FIFO */
        {LSM6DS3_REG_CTRL1_XL, (uint8_t)(odr << 4 | 0x08)}, /* FS_XL = +-4 g */
        {LSM6DS3_REG_CTRL2_G, (uint8_t)(odr << 4 | 0x0C)},  /* FS_G = 2000 dps */
        {LSM6DS3_REG_FIFO_CTRL3, 0x09},                  /* gyro and accel, no decimation */
        {LSM6DS3_REG_FIFO_CTRL5, (uint8_t)(odr << 3 | LSM6DS3_FIFO_MODE_CONTINUOUS)},
    };
    for (size_t i = 0; i < sizeof config / sizeof config[0]; i++) {
        if (sb_bus_write_u8(bus, config[i][0], config[i][1]) != 0)
            return -1;
    }
    return 0;
}

int lsm6ds3_stop(lsm6ds3_t *dev)
{
    const sb_bus_t *bus = &dev->bus;
    if (sb_bus_write_u8(bus, LSM6DS3_REG_FIFO_CTRL5, 0x00) != 0 ||
        sb_bus_write_u8(bus, LSM6DS3_REG_CTRL1_XL, 0x00) != 0 ||
        sb_bus_write_u8(bus, LSM6DS3_REG_CTRL2_G, 0x00) != 0)
        return -1;
    return 0;
}

int lsm6ds3_fifo_status(lsm6ds3_t *dev, size_t *sets, int *overrun)
{
    const sb_bus_t *bus = &dev->bus;
    uint8_t st[4];
    *sets = 0;
    *overrun = 0;
    if (bus->read(bus->handle, LSM6DS3_REG_FIFO_STATUS1, st, 4) != 0)
        return -1;
    size_t words = (size_t)(st[0] | ((st[1] & 0x0F) << 8));
    unsigned pattern = (unsigned)(st[2] | ((st[3] & 0x03) << 8));
    *overrun = (st[1] & LSM6DS3_FIFO_OVER_RUN) != 0;
    /* After an overrun the next word may be mid-set: FIFO_PATTERN says which word comes
     * next; drop words until a set starts with gyro x. */
    if (pattern != 0 && pattern < LSM6DS3_WORDS_PER_SET) {
        size_t skip = LSM6DS3_WORDS_PER_SET - pattern;
        uint8_t junk[2 * LSM6DS3_WORDS_PER_SET];
        if (skip > words)
            return 0;
        if (bus->read(bus->handle, LSM6DS3_REG_FIFO_DATA_OUT_L, junk, (uint16_t)(2 * skip)) != 0)
            return -1;
        words -= skip;
    }
    *sets = words / LSM6DS3_WORDS_PER_SET;
    return 0;
}

int lsm6ds3_read_sets(lsm6ds3_t *dev, lsm6ds3_set_t *out, size_t n)
{
    /* Consecutive reads of FIFO_DATA_OUT_L pop consecutive words (the address rolls back
     * from _H to _L), so two sets (24 bytes) go per transfer. */
    const sb_bus_t *bus = &dev->bus;
    uint8_t raw[2 * 2 * LSM6DS3_WORDS_PER_SET];
    for (size_t i = 0; i < n;) {
        size_t k = n - i >= 2 ? 2 : 1;
        if (bus->read(bus->handle, LSM6DS3_REG_FIFO_DATA_OUT_L, raw,
                      (uint16_t)(k * 2 * LSM6DS3_WORDS_PER_SET)) != 0)
            return -1;
        for (size_t s = 0; s < k; s++, i++) {
            const uint8_t *p = raw + s * 2 * LSM6DS3_WORDS_PER_SET;
            for (int a = 0; a < 3; a++) {
                out[i].gyro[a] = (int16_t)(uint16_t)(p[2 * a] | (p[2 * a + 1] << 8));
                out[i].accel[a] = (int16_t)(uint16_t)(p[6 + 2 * a] | (p[7 + 2 * a] << 8));
            }
        }
    }
    return 0;
}

int lsm6ds3_arm_wake(lsm6ds3_t *dev, uint16_t threshold_mg)
{
    const sb_bus_t *bus = &dev->bus;
    uint32_t code = (uint32_t)((float)threshold_mg / LSM6DS3_WAKE_MG_PER_LSB + 0.5f);
    code = code < 1u ? 1u : code > 63u ? 63u : code; /* WK_THS is 6 bits */
    uint8_t tap_cfg = (uint8_t)(LSM6DS3_TAP_CFG_LIR | (dev->who_am_i == LSM6DS3TRC_WHO_AM_I
                                                          ? LSM6DS3_TAP_CFG_INTERRUPTS_ENABLE
                                                          : 0u));
    const uint8_t config[][2] = {
        {LSM6DS3_REG_FIFO_CTRL5, 0x00},                  /* FIFO off */
        {LSM6DS3_REG_CTRL2_G, 0x00},                     /* gyro off */
        {LSM6DS3_REG_CTRL6_C, LSM6DS3_CTRL6_XL_LOW_POWER},
        {LSM6DS3_REG_CTRL1_XL, LSM6DS3_CTRL1_XL_26HZ_2G},
        {LSM6DS3_REG_WAKE_UP_DUR, 0x00},                 /* one sample over the threshold */
        {LSM6DS3_REG_WAKE_UP_THS, (uint8_t)code},        /* no tap, no inactivity */
        {LSM6DS3_REG_TAP_CFG, tap_cfg},                  /* slope filter (SLOPE_FDS = 0) */
        {LSM6DS3_REG_MD1_CFG, LSM6DS3_MD1_INT1_WU},
    };
    for (size_t i = 0; i < sizeof config / sizeof config[0]; i++) {
        if (sb_bus_write_u8(bus, config[i][0], config[i][1]) != 0)
            return -1;
    }
    /* The filter's first samples after the switch can cross the threshold: let two sample
     * periods pass, then read WAKE_UP_SRC, which clears a latched event. */
    uint8_t src;
    bus->delay_us(bus->handle, 80000);
    return bus->read(bus->handle, LSM6DS3_REG_WAKE_UP_SRC, &src, 1) != 0 ? -1 : 0;
}
