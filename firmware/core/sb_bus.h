/* Register access for sensor drivers, in the style of ST's stmdev_ctx_t and Bosch's
 * SensorAPI: the driver only sees these callbacks and an opaque handle, never a board header.
 * read/write return 0 on success. A transfer is at most SB_BUS_MAX_XFER bytes so that every
 * board's I2C buffer holds it (the Arduino Wire buffer is 32 bytes on some cores). */
#ifndef SB_BUS_H
#define SB_BUS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SB_BUS_MAX_XFER 32u

typedef int (*sb_bus_read_fn)(void *handle, uint8_t reg, uint8_t *data, uint16_t len);
typedef int (*sb_bus_write_fn)(void *handle, uint8_t reg, const uint8_t *data, uint16_t len);
typedef void (*sb_bus_delay_fn)(void *handle, uint32_t us);

typedef struct {
    sb_bus_read_fn read;
    sb_bus_write_fn write;
    sb_bus_delay_fn delay_us;
    void *handle;
} sb_bus_t;

static inline int sb_bus_write_u8(const sb_bus_t *bus, uint8_t reg, uint8_t value)
{
    return bus->write(bus->handle, reg, &value, 1);
}

#ifdef __cplusplus
}
#endif

#endif
