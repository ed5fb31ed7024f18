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

/* -------------------------------------------------------------------------- scenario */

void sim_scenario_init(sim_scenario_t *sc, uint32_t seed)
{
    sc->seed = seed;
    sc->baseline_pa = 101325.0;
    sc->pa_per_n = 60.0; /* the reference ball */
}

/* A 12 s cycle: at rest (0-1.5 s), rolling at light-moderate force with a hedgehog
 * ripple (1.5-5.5 s), pressing in (5.5-6.5 s), holding deep and still (6.5-9.5 s),
 * releasing (9.5-10.5 s), at rest again (10.5-12 s). */
double sim_scenario_force_n(double t_s)
{
    double c = fmod(t_s, 12.0);
    const double pi = 3.14159265358979;
    if (c < 1.5 || c >= 10.5)
        return 0.0;
    if (c < 5.5) {
        double r = c - 1.5;
        return 35.0 + 12.0 * sin(2 * pi * 0.5 * r) + 3.0 * sin(2 * pi * 14.0 * r);
    }
    if (c < 6.5)
        return 35.0 + (120.0 - 35.0) * (c - 5.5);
    if (c < 9.5)
        return 120.0 + 2.0 * sin(2 * pi * 0.7 * c);
    return 120.0 * (10.5 - c);
}

static double noise(uint32_t seed, uint64_t t_us, unsigned ch)
{
    /* A hash of time and channel: repeatable, independent of how often it is asked. */
    uint64_t x = t_us * 0x9E3779B97F4A7C15ull ^ ((uint64_t)seed << 32) ^ ch * 0xBF58476D1CE4E5B9ull;
    x ^= x >> 31;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 29;
    return ((double)(x >> 11) / 9007199254740992.0) * 2.0 - 1.0;
}

void sim_scenario_truth(void *user, uint64_t t_us, sim_truth_t *out)
{
    const sim_scenario_t *sc = user;
    const double pi = 3.14159265358979;
    double t = (double)t_us / 1e6, c = fmod(t, 12.0) - 1.5;
    double force = sim_scenario_force_n(t);
    out->temp_c = 24.0 + 0.2 * sin(2 * pi * t / 600.0) + 0.005 * noise(sc->seed, t_us, 0);
    out->pressure_pa = sc->baseline_pa + sc->pa_per_n * force + 1.0 * noise(sc->seed, t_us, 1);
    /* Rolling back and forth about x: 200 dps peak; the gravity vector turns with it. */
    int rolling = c >= 0.0 && c < 4.0;
    double rate = rolling ? 200.0 * sin(2 * pi * 0.5 * c) : 0.0;
    double angle = rolling ? 200.0 / (2 * pi * 0.5) * (1 - cos(2 * pi * 0.5 * c)) * pi / 180.0 : 0.0;
    out->gyro_dps[0] = rate + 0.5 * noise(sc->seed, t_us, 2);
    out->gyro_dps[1] = 0.5 * noise(sc->seed, t_us, 3);
    out->gyro_dps[2] = 0.5 * noise(sc->seed, t_us, 4);
    out->accel_g[0] = 0.01 * noise(sc->seed, t_us, 5);
    out->accel_g[1] = sin(angle) + 0.01 * noise(sc->seed, t_us, 6);
    out->accel_g[2] = cos(angle) + 0.01 * noise(sc->seed, t_us, 7);
}
