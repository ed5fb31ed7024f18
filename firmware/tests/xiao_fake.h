/* A fake of the Arduino core, Wire, Bluefruit and the few nRF registers the XIAO board layer
 * uses, so that the board file itself runs on the host: its setup() and loop(), its port
 * functions and the real core behind them. The I2C buses reach the sensor models
 * (host/sim_sensors); USB CDC has TinyUSB's 256-byte FIFO; the SoftDevice's notification
 * queue holds 3, and a notify() with the queue full counts as a call that would have blocked. */
#ifndef XIAO_FAKE_H
#define XIAO_FAKE_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "bluefruit.h"
#include "sim_sensors.h"

#define FAKE_CDC_FIFO 256u

struct XiaoFake {
    uint64_t now_us;            /* micros() */
    uint32_t pin_mode[64], pin_level[64];
    uint32_t analog_raw;        /* what analogRead(PIN_VBAT) returns */
    /* USB CDC */
    bool dtr;
    uint8_t cdc_fifo[FAKE_CDC_FIFO];
    size_t cdc_len;             /* bytes in the FIFO, not yet taken by the host */
    uint8_t host_rx[65536];     /* what the host has read, in order */
    size_t host_rx_len;
    uint8_t host_tx[1024];      /* what the host wrote, for Serial.read() */
    size_t host_tx_len, host_tx_pos;
    /* I2C */
    sim_bmp390_t baro;
    sim_lsm6ds3_t imu;
    uint8_t baro_addr;
    /* BLE */
    void (*event_cb)(ble_evt_t *);
    void (*connect_cb)(uint16_t);
    void (*disconnect_cb)(uint16_t, uint8_t);
    BLECharacteristic::write_cccd_cb_t cccd_cb;
    BLECharacteristic::write_cb_t control_cb;
    BLECharacteristic *stream_chr;
    BLECharacteristic *control_chr;
    uint16_t mtu;
    bool connected;
    unsigned hvn_in_flight;     /* notifications in the SoftDevice queue */
    unsigned hvn_qsize;         /* its depth, as configPrphConn set it */
    unsigned notify_calls, notify_would_block;
    uint8_t notified[64][256];
    uint16_t notified_len[64];
    unsigned system_off;
    uint32_t reset_reason_cleared;
    uint32_t system_resets;     /* NVIC_SystemReset calls */
    bool secured, bonded;       /* the central's link: encrypted, bonded */
    bool sda_stuck[2];          /* a device holds SDA low on Wire / Wire1 */
    unsigned wire_end[2], scl_pulses[2];
    uint8_t sample_time_us;     /* analogSampleTime */
    /* System OFF and a system reset never return on the chip: here they jump back to the
     * test (longjmp to `gone`, armed by the test), unless system_off_refused (a debugger
     * attached: sd_power_system_off returns). */
    jmp_buf gone;
    uint64_t off_at_us;
    unsigned wdt_feeds;
    bool gone_armed, system_off_refused;
};

extern XiaoFake fake;
extern NRF_WDT_Type *fake_wdt;
extern NRF_POWER_Type *fake_power;

/* Fresh fake: sensors fed by `truth`, battery at analog_raw 0, CHG high (not charging). */
void fake_reset(sim_truth_fn truth, void *user);
/* The host takes everything in the CDC FIFO. */
void fake_host_read(void);
/* The radio sent `count` queued notifications. */
void fake_hvn_complete(uint8_t count);
/* A central connects, subscribes to Stream and exchanges an MTU. */
void fake_ble_connect(uint16_t mtu);
/* One Control write from the central. */
void fake_ble_write(const uint8_t *frame, uint16_t len);

/* The board file's Arduino entry points. */
void setup(void);
void loop(void);

#endif
