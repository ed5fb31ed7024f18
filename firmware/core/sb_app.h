/* The ball's behaviour: links, commands and replies, INFO and STATUS timing, and the
 * stream out of the scheduler onto every link that can take it. The board feeds it events
 * and the time; it answers through the port functions (sb_port.h). */
#ifndef SB_APP_H
#define SB_APP_H

#include <stddef.h>
#include <stdint.h>

#include "bmp390.h"
#include "lsm6ds3.h"
#include "sb_frame.h"
#include "sb_port.h"
#include "sb_sched.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SB_FW_MAJOR 1
#define SB_FW_MINOR 0
#define SB_FW_PATCH 0
#define SB_BALL_DIAMETER_MM 80u
#define SB_MIN_BLE_MTU 72u
#define SB_STATUS_EVERY_US 1000000u
#define SB_INFO_EVERY_US 5000000u
#define SB_IDENTIFY_US 2000000u
#define SB_RECOVER_EVERY_US 100000u /* a sensor that failed is tried again this often */
#define SB_ORPHAN_STOP_US 60000000u /* streaming with no link up for this long stops */
/* Not streaming and no link up for this long: the ball goes to sleep by itself (wake on
 * motion), so a sealed ball left on a shelf does not advertise its cell flat. */
#define SB_IDLE_SLEEP_US 600000000ull

typedef struct {
    int up;
    uint16_t seq;
    uint16_t max_frame;  /* serial: SB_MAX_FRAME; BLE: ATT MTU - 3 */
    uint32_t dropped;    /* samples that found this link full */
    int mtu_reported;
    int info_sent;       /* INFO went out since the link came up (BLE: may wait for MTU) */
} sb_link_state_t;

/* BLE: the largest notification (ATT MTU 247 - 3). */
#define SB_BLE_MAX_FRAME 244u

/* Samples a busy BLE link could not take yet: the batches that follow are appended while
 * they are contiguous and the frame fits the MTU, and the whole goes out as one notification
 * when the queue has room. Samples are dropped only when it is full and the link still busy. */
typedef struct {
    uint8_t records[SB_BLE_MAX_FRAME - SB_HEADER_SIZE - 2u];
    size_t len, count;
    uint32_t first_index;
    uint8_t flags;
    int16_t temperature_cdeg;
} sb_pending_t;

typedef struct {
    uint8_t bus, addr;
} sb_i2c_dev_t;

/* A sensor driver's bus for a device on one of the board's I2C buses, through sb_port. */
sb_bus_t sb_port_bus(sb_i2c_dev_t *dev);

typedef struct {
    bmp390_t baro;
    lsm6ds3_t imu;
    sb_i2c_dev_t baro_dev, imu_dev;
    int have_baro, have_imu;
    sb_sched_t sched;
    sb_link_state_t link[SB_LINK_COUNT];
    sb_pending_t ble_pending;
    unsigned ble_in_flight; /* notifications the radio has not sent yet (the board says) */
    size_t ble_batch_len;   /* bytes of records of the last batch for BLE */
    sb_deframer_t rx;

    uint8_t device_id[8];
    char name[SB_MAX_NAME + 1];
    uint32_t boot_id;
    uint16_t rate_hz;
    uint8_t channels; /* of the running stream */
    int streaming;
    int sleep_pending;
    int wake_armed; /* the IMU's wake-up interrupt was set before the last sleep */
    uint64_t idle_sleep_us; /* SB_IDLE_SLEEP_US; 0: never sleep by itself */
    uint64_t now_us;
    uint64_t next_status_us, next_info_us, identify_until_us, next_blink_us, all_down_since_us;
    int led_on;
    sb_reset_cause_t reset_cause;
    int reset_reported[SB_LINK_COUNT]; /* the boot LOG went out on this link */
    uint64_t next_recover_us;
    int baro_failing, imu_failing; /* a recovery failed and was reported */
    uint32_t recoveries;           /* sensors restarted since boot */

    uint8_t frame[SB_MAX_FRAME];
    uint8_t wire[SB_SERIAL_MAX];
} sb_app_t;

void sb_app_init(sb_app_t *app, uint64_t now_us);
void sb_app_link_up(sb_app_t *app, sb_link_t link, uint64_t now_us);
void sb_app_link_down(sb_app_t *app, sb_link_t link, uint64_t now_us);
/* Notifications queued and not yet sent by the radio, as the board counts them (the
 * SoftDevice's HVN_TX_COMPLETE events); called every loop. While it is not 0 the stream
 * waits to fill a whole notification (see sb_pending_t). A board that never calls it
 * sends every batch at once and holds samples only when a send is refused. */
void sb_app_ble_in_flight(sb_app_t *app, unsigned notifications);
/* The negotiated ATT MTU of the BLE link. */
void sb_app_set_mtu(sb_app_t *app, uint16_t att_mtu, uint64_t now_us);
/* Bytes from the serial link (COBS envelope); commands are handled as they complete. */
void sb_app_rx_serial(sb_app_t *app, const uint8_t *data, size_t len, uint64_t now_us);
/* One bare frame, as a BLE Control write carries it. */
void sb_app_rx_frame(sb_app_t *app, sb_link_t link, const uint8_t *frame, size_t len,
                     uint64_t now_us);
void sb_app_poll(sb_app_t *app, uint64_t now_us);
/* "SmartBall-XXXX" from the last two bytes of the device id (INFO and the BLE name). */
void sb_device_name(const uint8_t device_id[8], char name[SB_MAX_NAME + 1]);
/* State of charge of a single LiPo cell at rest from its voltage (a typical curve; under
 * load or while charging it reads off by a few percent). For boards' sb_port_battery. */
uint8_t sb_lipo_percent(uint16_t mv);
/* Battery millivolts from an ADC code: full_scale_mv is the ADC's input range over
 * `counts` codes (the nRF52840 SAADC: RESULT = V * GAIN / REFERENCE * 2^RESOLUTION), and the
 * divider in front of it scales by divider_num / divider_den (the XIAO's 1 M / 510 k:
 * 1510 / 510). 64-bit arithmetic: raw * full scale * divider does not fit 32 bits. Saturates
 * at 65535 mV; 0 for a code at or below 0. */
uint16_t sb_adc_to_mv(int32_t raw, uint32_t counts, uint32_t full_scale_mv, uint32_t divider_num,
                      uint32_t divider_den);
/* A LOG frame from the board on one link (if it is up). */
void sb_app_log(sb_app_t *app, sb_link_t link, uint8_t level, const char *text, uint64_t now_us);
/* The LOG text of a reset cause ("reset: watchdog"). */
const char *sb_reset_text(sb_reset_cause_t cause);
/* Channels the board has (INFO `channels`). */
uint8_t sb_app_channels(const sb_app_t *app);

#ifdef __cplusplus
}
#endif

#endif
