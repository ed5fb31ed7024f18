/* LSM6DS3 driver against the register model: identity, configuration, FIFO sets,
 * realignment after a partial read, overrun. */
#include <math.h>

#include "lsm6ds3.h"
#include "sb_app.h"
#include "sb_port.h"
#include "test_util.h"

static const_truth_t truth = {101325.0, 23.5, {100.0, -50.0, 7.0}, {0.0, 0.5, -1.0}, 0};

static sb_i2c_dev_t dev_addr = {SB_BUS_IMU, LSM6DS3_I2C_ADDR};

static lsm6ds3_t dev;

static int setup(void **state)
{
    (void)state;
    sim_board_init(const_truth, &truth, NULL, NULL);
    memset(&dev, 0, sizeof dev);
    dev.bus = sb_port_bus(&dev_addr);
    return 0;
}

static void test_identity(void **state)
{
    (void)state;
    assert_int_equal(lsm6ds3_init(&dev), 0); /* LSM6DS3TR-C, as on the XIAO Sense */
    assert_int_equal(sim_board.imu.reg[LSM6DS3_REG_CTRL3_C], 0x44);
    sim_board.imu.reg[0x0F] = LSM6DS3_WHO_AM_I;
    assert_int_equal(lsm6ds3_init(&dev), 0);
    sim_board.imu.reg[0x0F] = 0x6C; /* an LSM6DSO: different registers */
    assert_int_equal(lsm6ds3_init(&dev), -2);
    sim_board.imu_present = 0;
    assert_int_equal(lsm6ds3_init(&dev), -1);
}

static void test_start_configures_scales_and_fifo(void **state)
{
    (void)state;
    assert_int_equal(lsm6ds3_init(&dev), 0);
    assert_int_equal(lsm6ds3_start(&dev, 100), 0);
    const uint8_t *r = sim_board.imu.reg;
    assert_int_equal(r[LSM6DS3_REG_CTRL1_XL], 0x48); /* 104 Hz, +-4 g */
    assert_int_equal(r[LSM6DS3_REG_CTRL2_G], 0x4C);  /* 104 Hz, 2000 dps */
    assert_int_equal(r[LSM6DS3_REG_FIFO_CTRL3], 0x09);
    assert_int_equal(r[LSM6DS3_REG_FIFO_CTRL5], 0x26); /* 104 Hz, continuous */
    assert_int_equal(lsm6ds3_start(&dev, 60), -2);
    assert_int_equal(lsm6ds3_stop(&dev), 0);
    assert_int_equal(r[LSM6DS3_REG_CTRL2_G], 0);
}

static void check_set(const lsm6ds3_set_t *s)
{
    assert_int_equal(s->gyro[0], 1429); /* 100 dps / 0.07 */
    assert_int_equal(s->gyro[1], -714);
    assert_int_equal(s->gyro[2], 100);
    assert_int_equal(s->accel[0], 0);
    assert_int_equal(s->accel[1], 4098); /* 0.5 g / 0.000122 */
    assert_int_equal(s->accel[2], -8197);
}

static void test_fifo_sets_scaled(void **state)
{
    (void)state;
    size_t n;
    int overrun;
    lsm6ds3_set_t sets[16];
    assert_int_equal(lsm6ds3_init(&dev), 0);
    assert_int_equal(lsm6ds3_start(&dev, 100), 0);
    sim_board.now_us = 100000; /* 100 ms at 104 Hz */
    assert_int_equal(lsm6ds3_fifo_status(&dev, &n, &overrun), 0);
    assert_int_equal(n, 10);
    assert_false(overrun);
    assert_int_equal(lsm6ds3_read_sets(&dev, sets, 5), 0); /* odd count: 2 + 2 + 1 */
    for (int i = 0; i < 5; i++)
        check_set(&sets[i]);
    assert_int_equal(lsm6ds3_fifo_status(&dev, &n, &overrun), 0);
    assert_int_equal(n, 5);
}

static void test_realigns_after_partial_read(void **state)
{
    (void)state;
    size_t n;
    int overrun;
    uint8_t junk[4];
    lsm6ds3_set_t set;
    assert_int_equal(lsm6ds3_init(&dev), 0);
    assert_int_equal(lsm6ds3_start(&dev, 200), 0);
    sim_board.now_us = 50000;
    /* Someone popped two words: the FIFO now starts at gyro z. */
    assert_int_equal(sb_port_i2c_read(SB_BUS_IMU, LSM6DS3_I2C_ADDR, 0x3E, junk, 4), 0);
    assert_int_equal(lsm6ds3_fifo_status(&dev, &n, &overrun), 0);
    assert_true(n >= 8);
    assert_int_equal(lsm6ds3_read_sets(&dev, &set, 1), 0);
    check_set(&set);
}

static void test_overrun_reported(void **state)
{
    (void)state;
    size_t n;
    int overrun;
    assert_int_equal(lsm6ds3_init(&dev), 0);
    assert_int_equal(lsm6ds3_start(&dev, 200), 0);
    sim_board.now_us = 5000000; /* 5 s at 208 Hz: 1040 sets, the FIFO keeps 682 */
    assert_int_equal(lsm6ds3_fifo_status(&dev, &n, &overrun), 0);
    assert_true(overrun);
    assert_int_equal(n, 682);
}

/* A ball lying still (sensor noise of a few mg) until pick_s, then lifted and turned in a
 * hand: about 0.3 g of change within a tenth of a second. */
typedef struct {
    double pick_s;
} pickup_t;

static void pickup_truth(void *user, uint64_t t_us, sim_truth_t *out)
{
    const pickup_t *p = user;
    double t = (double)t_us / 1e6;
    memset(out, 0, sizeof *out);
    out->pressure_pa = 101325.0;
    out->temp_c = 23.5;
    /* deterministic "noise": +-3 mg at odd frequencies */
    out->accel_g[0] = 0.003 * sin(2 * 3.14159265 * 7.3 * t);
    out->accel_g[1] = 0.003 * sin(2 * 3.14159265 * 11.1 * t + 1.0);
    out->accel_g[2] = 1.0 + 0.003 * sin(2 * 3.14159265 * 5.7 * t + 2.0);
    if (t >= p->pick_s) {
        double a = (t - p->pick_s) * 3.0; /* tilting at about 170 deg/s */
        out->accel_g[1] += sin(a > 1.2 ? 1.2 : a);
        out->accel_g[2] = cos(a > 1.2 ? 1.2 : a) + 0.3 * sin(2 * 3.14159265 * 3.0 * (t - p->pick_s));
    }
}

static void test_wake_on_motion(void **state)
{
    (void)state;
    static pickup_t pick = {3.0};
    sim_board_init(pickup_truth, &pick, NULL, NULL);
    assert_int_equal(lsm6ds3_init(&dev), 0);
    assert_int_equal(lsm6ds3_start(&dev, 100), 0); /* streaming before the SLEEP */
    sim_board.now_us = 500000;
    assert_int_equal(lsm6ds3_arm_wake(&dev, LSM6DS3_WAKE_THRESHOLD_MG), 0);
    const uint8_t *r = sim_board.imu.reg;
    assert_int_equal(r[LSM6DS3_REG_CTRL1_XL], 0x20); /* 26 Hz, +-2 g */
    assert_int_equal(r[LSM6DS3_REG_CTRL2_G], 0x00);
    assert_int_equal(r[LSM6DS3_REG_FIFO_CTRL5], 0x00);
    assert_int_equal(r[LSM6DS3_REG_WAKE_UP_THS], 1); /* 31 mg / 31.25 mg per step */
    assert_int_equal(r[LSM6DS3_REG_WAKE_UP_DUR], 0);
    assert_int_equal(r[LSM6DS3_REG_TAP_CFG], 0x81); /* LSM6DS3TR-C: INTERRUPTS_ENABLE, LIR */
    assert_int_equal(r[LSM6DS3_REG_MD1_CFG], 0x20);
    /* Lying still: no wake, however long. */
    for (uint64_t t = 500000; t < 2990000; t += 10000) {
        sim_lsm6ds3_advance(&sim_board.imu, t);
        assert_false(sim_lsm6ds3_int1(&sim_board.imu));
    }
    /* Picked up: INT1 rises within a few samples (38 ms each) and stays up (latched). */
    uint64_t woke = 0;
    for (uint64_t t = 2990000; t < 4000000 && !woke; t += 1000) {
        sim_lsm6ds3_advance(&sim_board.imu, t);
        if (sim_lsm6ds3_int1(&sim_board.imu))
            woke = t;
    }
    assert_true(woke > 3000000 && woke < 3200000);
    sim_lsm6ds3_advance(&sim_board.imu, 6000000);
    assert_true(sim_lsm6ds3_int1(&sim_board.imu));
    uint8_t src;
    assert_int_equal(sb_port_i2c_read(SB_BUS_IMU, LSM6DS3_I2C_ADDR, LSM6DS3_REG_WAKE_UP_SRC, &src, 1), 0);
    assert_true(src & LSM6DS3_WAKE_UP_SRC_WU_IA);

    /* The plain LSM6DS3 has no INTERRUPTS_ENABLE bit: bit 7 of TAP_CFG stays clear. */
    sim_board.imu.reg[0x0F] = LSM6DS3_WHO_AM_I;
    assert_int_equal(lsm6ds3_init(&dev), 0);
    assert_int_equal(lsm6ds3_arm_wake(&dev, 100), 0);
    assert_int_equal(r[LSM6DS3_REG_TAP_CFG], 0x01);
    assert_int_equal(r[LSM6DS3_REG_WAKE_UP_THS], 3);
}

/* A threshold too high for the motion: no wake (the test above is not passing by accident). */
static void test_wake_threshold_respected(void **state)
{
    (void)state;
    static pickup_t pick = {1.0};
    sim_board_init(pickup_truth, &pick, NULL, NULL);
    assert_int_equal(lsm6ds3_init(&dev), 0);
    assert_int_equal(lsm6ds3_arm_wake(&dev, 1900), 0);
    sim_lsm6ds3_advance(&sim_board.imu, 5000000);
    assert_false(sim_lsm6ds3_int1(&sim_board.imu));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_identity, setup),
        cmocka_unit_test_setup(test_start_configures_scales_and_fifo, setup),
        cmocka_unit_test_setup(test_fifo_sets_scaled, setup),
        cmocka_unit_test_setup(test_realigns_after_partial_read, setup),
        cmocka_unit_test_setup(test_overrun_reported, setup),
        cmocka_unit_test_setup(test_wake_on_motion, setup),
        cmocka_unit_test_setup(test_wake_threshold_respected, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
