/* LSM6DS3 driver against the register model: identity, configuration, FIFO sets,
 * realignment after a partial read, overrun. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_identity, setup),
        cmocka_unit_test_setup(test_start_configures_scales_and_fifo, setup),
        cmocka_unit_test_setup(test_fifo_sets_scaled, setup),
        cmocka_unit_test_setup(test_realigns_after_partial_read, setup),
        cmocka_unit_test_setup(test_overrun_reported, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
