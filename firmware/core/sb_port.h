/* What a board provides to the core: each board implements these functions in one file
 * (board/<name>/), the host simulator and the tests implement them too. The core never
 * includes a board or vendor header. */
#ifndef SB_PORT_H
#define SB_PORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { SB_LINK_SERIAL = 0, SB_LINK_BLE = 1, SB_LINK_COUNT = 2 } sb_link_t;

/* I2C buses as the core names them; a board with one bus maps both to it. */
enum { SB_BUS_EXTERNAL = 0 /* the BMP390 */, SB_BUS_IMU = 1 /* the on-board LSM6DS3 */ };

/* Register read/write on an I2C device; 0 on success. len <= SB_BUS_MAX_XFER. */
int sb_port_i2c_read(uint8_t bus, uint8_t addr, uint8_t reg, uint8_t *data, uint16_t len);
int sb_port_i2c_write(uint8_t bus, uint8_t addr, uint8_t reg, const uint8_t *data, uint16_t len);
void sb_port_delay_us(uint32_t us);
/* Frees a bus a device holds (SDA stuck low mid-byte): up to 9 clock pulses until SDA is
 * released, then a STOP, then the controller set up again. 0 if the bus is free after it.
 * Every board's I2C waits end in a bounded time (a failed transfer, never a hang); the
 * watchdog covers what remains. */
int sb_port_i2c_recover(uint8_t bus);

/* Why the chip last reset, read from the hardware at boot (the core reports it in a LOG). */
typedef enum {
    SB_RESET_POWER_ON = 0,
    SB_RESET_PIN = 1,
    SB_RESET_WATCHDOG = 2,
    SB_RESET_SOFT = 3,     /* software reset (a firmware update, the bootloader) */
    SB_RESET_LOCKUP = 4,   /* CPU lock-up */
    SB_RESET_WAKE = 5,     /* wake from System OFF: picked up, or USB power */
    SB_RESET_UNKNOWN = 6
} sb_reset_cause_t;
sb_reset_cause_t sb_port_reset_cause(void);

/* Queues one whole buffer on a link (serial: an enveloped frame; BLE: one notification).
 * 0 if it was queued, non-zero if nothing was sent (no room): the core never blocks. */
int sb_port_send(sb_link_t link, const uint8_t *data, size_t len);

/* Battery: millivolts (0 unknown), percent (255 unknown), charging (0/1). */
void sb_port_battery(uint16_t *mv, uint8_t *percent, int *charging);
void sb_port_led(int on);
void sb_port_device_id(uint8_t id[8]);
uint32_t sb_port_random32(void);
/* Lowest-power state; on a board it does not return (wake is a reset). */
void sb_port_sleep(void);

#ifdef __cplusplus
}
#endif

#endif
