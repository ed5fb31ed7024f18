/* BMP390 driver against the register model: trim values, compensation, configuration,
 * FIFO reading and overflow. */
#include <math.h>

#include "bmp390.h"
#include "sb_app.h"
#include "sb_port.h"
#include "test_util.h"

static const_truth_t truth = {101325.0, 23.5, {0}, {0, 0, 1}, 0};

static sb_i2c_dev_t dev_addr = {SB_BUS_EXTERNAL, BMP390_I2C_ADDR};

static bmp390_t dev;

static int setup(void **state)
{
    (void)state;
    sim_board_init(const_truth, &truth, NULL, NULL);
    memset(&dev, 0, sizeof dev);
    dev.bus = sb_port_bus(&dev_addr);
    return 0;
}

static void test_calib_matches_datasheet_scaling(void **state)
{
    (void)state;
    bmp390_calib_t c;
    bmp390_parse_calib(sim_bmp390_default_nvm, &c);
    const sim_bmp390_t *m = &sim_board.baro;
    assert_float_equal(c.t1, m->t1, 1e-3);
    assert_true(fabs((double)c.t2 / m->t2 - 1) < 1e-6 && fabs((double)c.t3 / m->t3 - 1) < 1e-6);
    const float got[11] = {c.p1, c.p2, c.p3, c.p4, c.p5, c.p6, c.p7, c.p8, c.p9, c.p10, c.p11};
    for (int i = 0; i < 11; i++)
        assert_true(fabs((double)got[i] / m->p[i] - 1) < 1e-6);
}

static void test_compensation_within_a_tenth_of_a_pascal(void **state)
{
    (void)state;
    bmp390_calib_t c;
    bmp390_parse_calib(sim_bmp390_default_nvm, &c);
    const double temps[] = {-10.0, 5.0, 23.5, 40.0};
    const double pressures[] = {31000.0, 90000.0, 101325.0, 113000.0, 124000.0};
    for (size_t i = 0; i < 4; i++) {
        uint32_t rt = sim_bmp390_raw_temp(&sim_board.baro, temps[i]);
        float t = bmp390_compensate_temp(&c, rt);
        assert_float_equal(t, temps[i], 0.01);
        for (size_t j = 0; j < 5; j++) {
            uint32_t rp = sim_bmp390_raw_pressure(&sim_board.baro, pressures[j], t);
            double p = (double)bmp390_compensate_pressure(&c, rp, t);
            /* one ADC code is ~0.06 Pa; float rounding adds a few hundredths */
            assert_float_equal(p, pressures[j], 0.15);
        }
    }
}

static void test_init_checks_chip_id_and_presence(void **state)
{
    (void)state;
    assert_int_equal(bmp390_init(&dev), 0);
    assert_int_equal(dev.chip_id, BMP390_CHIP_ID);
    sim_board.baro.reg[0] = 0x58; /* a BMP280 answering at the address */
    assert_int_equal(bmp390_init(&dev), -2);
    sim_board.baro_present = 0;
    assert_int_equal(bmp390_init(&dev), -1);
}

static void test_start_configures_rate_oversampling_fifo(void **state)
{
    (void)state;
    assert_int_equal(bmp390_init(&dev), 0);
    assert_int_equal(bmp390_start(&dev, 33), -2);
    assert_int_equal(bmp390_start(&dev, 100), 0);
    const uint8_t *r = sim_board.baro.reg;
    assert_int_equal(r[BMP390_REG_ODR], 0x01);
    assert_int_equal(r[BMP390_REG_OSR], 0x01);
    assert_int_equal(r[BMP390_REG_FIFO_CONFIG_1], 0x1B);
    assert_int_equal(r[BMP390_REG_PWR_CTRL], 0x33);
    assert_int_equal(bmp390_start(&dev, 25), 0);
    assert_int_equal(r[BMP390_REG_ODR], 0x03);
    assert_int_equal(bmp390_stop(&dev), 0);
    assert_int_equal(r[BMP390_REG_PWR_CTRL] & 0x30, 0);
}

static void test_fifo_samples_and_overflow(void **state)
{
    (void)state;
    bmp390_sample_t out[80];
    size_t n;
    int full;
    assert_int_equal(bmp390_init(&dev), 0);
    assert_int_equal(bmp390_start(&dev, 100), 0);
    sim_board.now_us = 100000;
    assert_int_equal(bmp390_read_fifo(&dev, out, 80, &n, &full), 0);
    assert_int_equal(n, 10);
    assert_false(full);
    for (size_t i = 0; i < n; i++) {
        assert_float_equal(out[i].pressure_pa, 101325.0, 0.2);
        assert_float_equal(out[i].temp_c, 23.5, 0.01);
    }
    assert_int_equal(bmp390_read_fifo(&dev, out, 80, &n, &full), 0);
    assert_int_equal(n, 0);
    /* 2 s at 100 Hz is 200 frames; the 512-byte FIFO keeps 73 and says it filled. */
    sim_board.now_us += 2000000;
    assert_int_equal(bmp390_read_fifo(&dev, out, 80, &n, &full), 0);
    assert_int_equal(n, 73);
    assert_true(full);
}

/* Every transfer of FIFO data is whole frames: the model, like the chip, sends a frame cut
 * off by the end of a read again from its start, so a split frame would corrupt the rest. */
static void test_fifo_read_in_whole_frames(void **state)
{
    (void)state;
    bmp390_sample_t out[80];
    size_t n;
    int full;
    assert_int_equal(bmp390_init(&dev), 0);
    assert_int_equal(bmp390_start(&dev, 200), 0);
    sim_board.now_us = 350000; /* 70 frames: 490 bytes, 18 transfers */
    assert_int_equal(bmp390_read_fifo(&dev, out, 80, &n, &full), 0);
    assert_int_equal(n, 70);
    for (size_t i = 0; i < n; i++)
        assert_float_equal(out[i].pressure_pa, 101325.0, 0.2);
    assert_int_equal(sim_board.baro.fifo_len, 0);
    /* `max` smaller than the FIFO: exactly that many, the rest stays for the next read */
    sim_board.now_us += 100000;
    assert_int_equal(bmp390_read_fifo(&dev, out, 5, &n, &full), 0);
    assert_int_equal(n, 5);
    assert_int_equal(sim_board.baro.fifo_len, 15 * 7);
    assert_int_equal(bmp390_read_fifo(&dev, out, 80, &n, &full), 0);
    assert_int_equal(n, 15);
}

/* The model re-sends a partly read frame, as the chip does: a read of 32 bytes, the old
 * transfer size, returns four frames and the start of a fifth that comes again next time. */
static void test_model_resends_partly_read_frame(void **state)
{
    (void)state;
    uint8_t a[32], b[7];
    assert_int_equal(bmp390_init(&dev), 0);
    assert_int_equal(bmp390_start(&dev, 200), 0);
    sim_board.now_us = 50000; /* 10 frames */
    assert_int_equal(sb_port_i2c_read(SB_BUS_EXTERNAL, BMP390_I2C_ADDR, BMP390_REG_FIFO_DATA, a, 32), 0);
    assert_int_equal(sim_board.baro.fifo_len, 6 * 7);
    assert_int_equal(sb_port_i2c_read(SB_BUS_EXTERNAL, BMP390_I2C_ADDR, BMP390_REG_FIFO_DATA, b, 7), 0);
    assert_memory_equal(b, a + 28, 4); /* the fifth frame again, from its header */
    assert_int_equal(b[0], BMP390_FIFO_FRAME_PT);
}

static void test_init_finds_sensor_at_alternate_address(void **state)
{
    (void)state;
    static sb_app_t app;
    sim_board.baro_addr = BMP390_I2C_ADDR_ALT; /* SDO tied low */
    sb_app_init(&app, 0);
    assert_true(app.have_baro);
    assert_int_equal(app.baro_dev.addr, BMP390_I2C_ADDR_ALT);
    sim_board.baro_present = 0;
    sb_app_init(&app, 0);
    assert_false(app.have_baro);
    assert_int_equal(app.baro_dev.addr, BMP390_I2C_ADDR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_calib_matches_datasheet_scaling, setup),
        cmocka_unit_test_setup(test_compensation_within_a_tenth_of_a_pascal, setup),
        cmocka_unit_test_setup(test_init_checks_chip_id_and_presence, setup),
        cmocka_unit_test_setup(test_start_configures_rate_oversampling_fifo, setup),
        cmocka_unit_test_setup(test_fifo_samples_and_overflow, setup),
        cmocka_unit_test_setup(test_fifo_read_in_whole_frames, setup),
        cmocka_unit_test_setup(test_model_resends_partly_read_frame, setup),
        cmocka_unit_test_setup(test_init_finds_sensor_at_alternate_address, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
