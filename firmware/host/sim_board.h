/* The host "board": the port functions of sb_port.h implemented over the sensor models,
 * with a clock the caller sets and a send hook. Used by ball-sim and by the unit tests. */
#ifndef SIM_BOARD_H
#define SIM_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "sb_port.h"
#include "sim_scenario.h"
#include "sim_sensors.h"

typedef int (*sim_send_fn)(void *ctx, sb_link_t link, const uint8_t *data, size_t len);

typedef struct {
    uint64_t now_us; /* the sensors' time; set before calling into the core */
    sim_bmp390_t baro;
    sim_lsm6ds3_t imu;
    int baro_present, imu_present;
    uint8_t baro_addr; /* where the BMP390 answers: 0x77 (SDO high) or 0x76 */
    int fail_bus; /* non-zero: every transfer fails (a broken wire) */
    /* Faults a sealed ball meets. stuck_sda[bus]: a device holds SDA low mid-byte (a reset
     * of the MCU in the middle of a read): every transfer fails until the bus is clocked
     * free (sb_port_i2c_recover). baro_nack_until_us: the BMP390 does not answer (a dip in
     * its supply); it comes back reset. */
    int stuck_sda[2];
    uint64_t baro_nack_until_us;
    int baro_nacking;
    unsigned recover_calls;
    sb_reset_cause_t reset_cause;
    sim_send_fn send;
    void *send_ctx;
    uint16_t battery_mv;
    uint8_t battery_percent;
    int charging;
    int led;
    int slept;
    uint8_t device_id[8];
    uint32_t random_state;
    uint64_t delayed_us;
} sim_board_t;

extern sim_board_t sim_board;

/* Both sensors present, fed by `truth`; battery 3900 mV / 70 %. */
void sim_board_init(sim_truth_fn truth, void *user, sim_send_fn send, void *send_ctx);

#endif
