/* Host board: sb_port.h over the sensor models; see sim_board.h. */
#include "sim_board.h"

#include <math.h>
#include <string.h>

#include "bmp390.h"
#include "lsm6ds3.h"

sim_board_t sim_board;

void sim_board_init(sim_truth_fn truth, void *user, sim_send_fn send, void *send_ctx)
{
    static const uint8_t id[8] = {0x5B, 0xA1, 0x10, 0x00, 0xC0, 0xFF, 0xEE, 0x42};
    memset(&sim_board, 0, sizeof sim_board);
    sim_bmp390_init(&sim_board.baro, sim_bmp390_default_nvm, truth, user);
    sim_lsm6ds3_init(&sim_board.imu, 0x6A, truth, user);
    sim_board.baro_present = sim_board.imu_present = 1;
    sim_board.baro_addr = BMP390_I2C_ADDR;
    sim_board.send = send;
    sim_board.send_ctx = send_ctx;
    sim_board.battery_mv = 3900;
    sim_board.battery_percent = 70;
    memcpy(sim_board.device_id, id, 8);
    sim_board.random_state = 0x2545F491u;
}

/* Whether a transfer on a bus gets through to the device at addr. */
static int bus_ok(uint8_t bus, uint8_t addr)
{
    if (sim_board.fail_bus || sim_board.stuck_sda[bus & 1])
        return 0;
    if (bus == SB_BUS_EXTERNAL && addr == sim_board.baro_addr) {
        if (sim_board.now_us < sim_board.baro_nack_until_us) {
            sim_board.baro_nacking = 1;
            return 0;
        }
        if (sim_board.baro_nacking) { /* back from its dip in supply: a power-on reset */
            sim_board.baro_nacking = 0;
            sim_bmp390_reset(&sim_board.baro, sim_board.now_us);
        }
    }
    return 1;
}

int sb_port_i2c_recover(uint8_t bus)
{
    sim_board.recover_calls++;
    sim_board.stuck_sda[bus & 1] = 0; /* nine clocks let the device finish its byte */
    return sim_board.fail_bus ? -1 : 0;
}

sb_reset_cause_t sb_port_reset_cause(void)
{
    return sim_board.reset_cause;
}

int sb_port_i2c_read(uint8_t bus, uint8_t addr, uint8_t reg, uint8_t *data, uint16_t len)
{
    if (!bus_ok(bus, addr) || len > SB_BUS_MAX_XFER)
        return -1;
    if (bus == SB_BUS_EXTERNAL && addr == sim_board.baro_addr && sim_board.baro_present) {
        sim_bmp390_advance(&sim_board.baro, sim_board.now_us);
        return sim_bmp390_read(&sim_board.baro, reg, data, len);
    }
    if (bus == SB_BUS_IMU && addr == LSM6DS3_I2C_ADDR && sim_board.imu_present) {
        sim_lsm6ds3_advance(&sim_board.imu, sim_board.now_us);
        return sim_lsm6ds3_read(&sim_board.imu, reg, data, len);
    }
    return -1; /* no device answers: NACK */
}

int sb_port_i2c_write(uint8_t bus, uint8_t addr, uint8_t reg, const uint8_t *data, uint16_t len)
{
    if (!bus_ok(bus, addr) || len > SB_BUS_MAX_XFER)
        return -1;
    if (bus == SB_BUS_EXTERNAL && addr == sim_board.baro_addr && sim_board.baro_present) {
        sim_bmp390_advance(&sim_board.baro, sim_board.now_us);
        return sim_bmp390_write(&sim_board.baro, reg, data, len);
    }
    if (bus == SB_BUS_IMU && addr == LSM6DS3_I2C_ADDR && sim_board.imu_present) {
        sim_lsm6ds3_advance(&sim_board.imu, sim_board.now_us);
        return sim_lsm6ds3_write(&sim_board.imu, reg, data, len);
    }
    return -1;
}

void sb_port_delay_us(uint32_t us)
{
    sim_board.delayed_us += us; /* the simulated clock belongs to the caller */
}

int sb_port_send(sb_link_t link, const uint8_t *data, size_t len)
{
    return sim_board.send ? sim_board.send(sim_board.send_ctx, link, data, len) : -1;
}

void sb_port_battery(uint16_t *mv, uint8_t *percent, int *charging)
{
    *mv = sim_board.battery_mv;
    *percent = sim_board.battery_percent;
    *charging = sim_board.charging;
}

void sb_port_led(int on)
{
    sim_board.led = on;
}

void sb_port_device_id(uint8_t id[8])
{
    memcpy(id, sim_board.device_id, 8);
}

uint32_t sb_port_random32(void)
{
    uint32_t x = sim_board.random_state; /* xorshift32: deterministic runs */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return sim_board.random_state = x;
}

void sb_port_sleep(void)
{
    sim_board.slept++;
}
