/* The core on a real instruction set: a board layer for QEMU's mps2-an386 (a Cortex-M4 with
 * CMSDK peripherals). The serial link is the CMSDK UART0; the sensors are the register-level
 * models of host/sim_sensors.c behind the same I2C port functions a board implements, fed by
 * the press/roll scenario; time is SysTick at 1 kHz on the 25 MHz core clock (run under
 * `-icount` the device time is exact and the run repeatable). As ball-sim does, it sends
 * itself a START (100 Hz, every channel) through the serial receiver, runs for `seconds` of
 * device time, sends itself a STOP and ends QEMU through semihosting.
 *
 * Arguments (semihosting command line, `-semihosting-config ...,arg=...`):
 *   seconds=S          device time to run (10)
 *   bmp-reset          the BMP390 resets at 4 s: it answers, but streams nothing
 *   i2c-stuck          at 4 s a device holds SDA low until the bus is clocked free
 *   nack               at 4 s the BMP390 stops answering for 0.4 s and comes back reset
 *   hang               at 4 s an I2C wait never ends (as one without a timeout would): the
 *                      watchdog (the CMSDK APB watchdog QEMU models: the first expiry is an
 *                      NMI, the second a system reset) restarts the board, which boots with
 *                      "reset: watchdog" and streams again (once: the hang does not repeat) */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sb_app.h"
#include "sim_scenario.h"
#include "sim_sensors.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

#define UART0 0x40004000u /* CMSDK APB UART: DATA, STATE, CTRL, INTSTATUS, BAUDDIV */
#define WDOG 0x40008000u  /* CMSDK APB watchdog: LOAD, VALUE, CONTROL, INTCLR, ..., LOCK */
#define WDOG_UNLOCK 0x1ACCE551u
#define WDOG_STAGE_MS 500u /* NMI after 0.5 s without a feed, the reset 0.5 s after that */
#define SYST 0xE000E010u
#define CORE_HZ 25000000u
#define FAULT_AT_US 4000000u

/* --------------------------------------------------------------------- semihosting */

static int semihost(int op, void *arg)
{
    register int r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static void host_print(const char *text)
{
    semihost(0x04, (void *)(uintptr_t)text); /* SYS_WRITE0, to QEMU's stderr/stdout */
}

static void host_exit(int code)
{
    /* SYS_EXIT with ADP_Stopped_ApplicationExit (0x20026): QEMU exits with status 0; any
     * other reason (RunTimeErrorUnknown, 0x20023) with 1. */
    semihost(0x18, (void *)(uintptr_t)(code == 0 ? 0x20026u : 0x20023u));
    for (;;)
        ;
}

void Fault_Handler(void);
void Fault_Handler(void)
{
    host_print("smartball-qemu: CPU fault\n");
    host_exit(1);
}

/* ------------------------------------------------------------------------- watchdog */

/* RAM a reset does not clear (the .noinit section: neither loaded nor zeroed at boot), so
 * the next boot knows why it came and the hang is injected once. QEMU starts with it zero. */
#define NOINIT __attribute__((section(".noinit")))
#define MARK_WATCHDOG 0x57444F47u /* "WDOG": the watchdog's NMI came; its reset follows */
#define MARK_HUNG 0x48554E47u     /* "HUNG": the hang fault was injected */
static NOINIT volatile uint32_t reset_mark, hang_mark, hang_at_ms, nmi_at_ms;
static volatile uint32_t ms_ticks;

void NMI_Handler(void);
void NMI_Handler(void)
{
    /* The watchdog's first expiry. A board would save what it can; the reset comes at the
     * second expiry unless the firmware feeds it meanwhile. */
    reset_mark = MARK_WATCHDOG;
    nmi_at_ms = ms_ticks;
}

static void watchdog_start(void)
{
    REG(WDOG + 0xC00) = WDOG_UNLOCK;
    REG(WDOG + 0x000) = CORE_HZ / 1000u * WDOG_STAGE_MS; /* LOAD, at the 25 MHz WDOGCLK */
    REG(WDOG + 0x008) = 3u;                              /* CONTROL: INTEN | RESEN */
    REG(WDOG + 0xC00) = 0u;                              /* locked */
}

static void watchdog_feed(void)
{
    REG(WDOG + 0xC00) = WDOG_UNLOCK;
    REG(WDOG + 0x00C) = 1u; /* INTCLR: clears the NMI stage and reloads the count */
    REG(WDOG + 0xC00) = 0u;
}

/* ----------------------------------------------------------------------------- time */

void SysTick_Handler(void);
void SysTick_Handler(void)
{
    ms_ticks++;
}

static uint64_t now_us(void)
{
    uint32_t ms, cvr;
    do {
        ms = ms_ticks;
        cvr = REG(SYST + 8);
    } while (ms != ms_ticks);
    return (uint64_t)ms * 1000u + (CORE_HZ / 1000u - 1u - cvr) / (CORE_HZ / 1000000u);
}

void sb_port_delay_us(uint32_t us)
{
    uint64_t end = now_us() + us;
    while (now_us() < end)
        ;
}

/* -------------------------------------------------------------------------- sensors */

enum fault { FAULT_NONE, FAULT_BMP_RESET, FAULT_I2C_STUCK, FAULT_NACK, FAULT_HANG };

static struct {
    sim_scenario_t scenario;
    sim_bmp390_t baro;
    sim_lsm6ds3_t imu;
    enum fault fault;
    int fault_done;
    int stuck_sda[2];
    uint64_t nack_until_us;
    int nacking;
} sim;

/* The time the models see is the device's own: SysTick. */
static int bus_ok(uint8_t bus, uint8_t addr)
{
    if (sim.stuck_sda[bus & 1])
        return 0;
    if (bus == SB_BUS_EXTERNAL && addr == BMP390_I2C_ADDR) {
        uint64_t t = now_us();
        if (t < sim.nack_until_us) {
            sim.nacking = 1;
            return 0;
        }
        if (sim.nacking) { /* back from its supply dip: a power-on reset */
            sim.nacking = 0;
            sim_bmp390_reset(&sim.baro, t);
        }
        return 1;
    }
    return bus == SB_BUS_IMU && addr == LSM6DS3_I2C_ADDR;
}

int sb_port_i2c_read(uint8_t bus, uint8_t addr, uint8_t reg, uint8_t *data, uint16_t len)
{
    if (sim.fault == FAULT_HANG && hang_mark != MARK_HUNG && now_us() >= FAULT_AT_US) {
        hang_mark = MARK_HUNG; /* once: the board that comes back does not hang again */
        hang_at_ms = ms_ticks;
        for (;;) /* a wait for a bus that never answers, without a timeout */
            ;
    }
    if (!bus_ok(bus, addr) || len > SB_BUS_MAX_XFER)
        return -1;
    if (bus == SB_BUS_EXTERNAL) {
        sim_bmp390_advance(&sim.baro, now_us());
        return sim_bmp390_read(&sim.baro, reg, data, len);
    }
    sim_lsm6ds3_advance(&sim.imu, now_us());
    return sim_lsm6ds3_read(&sim.imu, reg, data, len);
}

int sb_port_i2c_write(uint8_t bus, uint8_t addr, uint8_t reg, const uint8_t *data, uint16_t len)
{
    if (!bus_ok(bus, addr) || len > SB_BUS_MAX_XFER)
        return -1;
    if (bus == SB_BUS_EXTERNAL) {
        sim_bmp390_advance(&sim.baro, now_us());
        return sim_bmp390_write(&sim.baro, reg, data, len);
    }
    sim_lsm6ds3_advance(&sim.imu, now_us());
    return sim_lsm6ds3_write(&sim.imu, reg, data, len);
}

int sb_port_i2c_recover(uint8_t bus)
{
    sim.stuck_sda[bus & 1] = 0; /* nine clocks let the device finish its byte */
    return 0;
}

static void inject_fault(uint64_t t)
{
    if (sim.fault_done || t < FAULT_AT_US)
        return;
    sim.fault_done = 1;
    if (sim.fault == FAULT_BMP_RESET)
        sim_bmp390_reset(&sim.baro, t);
    else if (sim.fault == FAULT_I2C_STUCK)
        sim.stuck_sda[SB_BUS_EXTERNAL] = 1;
    else if (sim.fault == FAULT_NACK)
        sim.nack_until_us = t + 400000u;
}

/* --------------------------------------------------------------------------- serial */

int sb_port_send(sb_link_t link, const uint8_t *data, size_t len)
{
    if (link != SB_LINK_SERIAL)
        return -1;
    for (size_t i = 0; i < len; i++) {
        for (uint32_t spin = 0; REG(UART0 + 0x04) & 1u; spin++) { /* STATE.TXFULL */
            if (spin > 1000000u)
                return -1;
        }
        REG(UART0 + 0x00) = data[i];
    }
    return 0;
}

/* -------------------------------------------------------------------- rest of the port */

void sb_port_battery(uint16_t *mv, uint8_t *percent, int *charging)
{
    *mv = 3900;
    *percent = sb_lipo_percent(3900);
    *charging = 0;
}

void sb_port_led(int on)
{
    (void)on;
}

void sb_port_device_id(uint8_t id[8])
{
    static const uint8_t qemu_id[8] = {0x51, 0xE0, 0x4D, 0x50, 0x53, 0x32, 0x03, 0x86};
    memcpy(id, qemu_id, 8);
}

static NOINIT uint32_t boots; /* boots since QEMU started: a boot_id of its own each */

uint32_t sb_port_random32(void)
{
    static uint32_t x; /* deterministic runs, another sequence after each reset */
    if (x == 0)
        x = 0x9E3779B9u ^ ((boots - 1u) * 0x85EBCA6Bu); /* the first boot: as always */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}

sb_reset_cause_t sb_port_reset_cause(void)
{
    if (reset_mark != MARK_WATCHDOG)
        return SB_RESET_POWER_ON;
    reset_mark = 0;
    return SB_RESET_WATCHDOG;
}

/* After a watchdog reset: when the NMI came, and so the reset, after the hang began. */
static void report_watchdog(void)
{
    static const char text[] = "smartball-qemu: watchdog NMI 0.000 s after the hang began; "
                               "its reset one stage (0.500 s) later\n";
    char line[sizeof text];
    memcpy(line, text, sizeof text);
    uint32_t ms = nmi_at_ms - hang_at_ms;
    line[29] = (char)('0' + (ms / 1000u) % 10u); /* the "0.000": the NMI's delay */
    line[31] = (char)('0' + (ms / 100u) % 10u);
    line[32] = (char)('0' + (ms / 10u) % 10u);
    line[33] = (char)('0' + ms % 10u);
    host_print(line);
}

void sb_port_sleep(void)
{
    host_exit(0); /* SLEEP: the emulated ball is off */
}

/* ----------------------------------------------------------------------------- main */

static sb_app_t app;

static void command(uint8_t op, const uint8_t *args, size_t n, uint64_t t)
{
    static uint8_t token = 1;
    uint8_t frame[32], wire[40];
    size_t len = sb_encode_command(frame, sizeof frame, 0, 0, op, token++, args, n);
    size_t w = sb_serial_wrap(wire, sizeof wire, frame, len);
    sb_app_rx_serial(&app, wire, w, t);
}

/* "smartball seconds=10 bmp-reset": the options, or -1 with a message. */
static int parse_args(uint32_t *seconds)
{
    static char line[128];
    struct {
        char *buf;
        int len;
    } block = {line, (int)sizeof line};
    *seconds = 10;
    if (semihost(0x15, &block) != 0) /* SYS_GET_CMDLINE */
        return 0;
    for (char *p = line; *p;) {
        while (*p == ' ')
            p++;
        char *word = p;
        while (*p && *p != ' ')
            p++;
        size_t n = (size_t)(p - word);
        if (n == 0)
            break;
        if (n == 9 && memcmp(word, "bmp-reset", 9) == 0) {
            sim.fault = FAULT_BMP_RESET;
        } else if (n == 9 && memcmp(word, "i2c-stuck", 9) == 0) {
            sim.fault = FAULT_I2C_STUCK;
        } else if (n == 4 && memcmp(word, "nack", 4) == 0) {
            sim.fault = FAULT_NACK;
        } else if (n == 4 && memcmp(word, "hang", 4) == 0) {
            sim.fault = FAULT_HANG;
        } else if (n > 8 && memcmp(word, "seconds=", 8) == 0) {
            uint32_t v = 0;
            for (char *d = word + 8; d < p && *d >= '0' && *d <= '9'; d++)
                v = v * 10u + (uint32_t)(*d - '0');
            *seconds = v ? v : 10;
        } else if (!(n == 9 && memcmp(word, "smartball", 9) == 0)) {
            host_print("smartball-qemu: unknown argument; use seconds=S and one of bmp-reset, "
                       "i2c-stuck, nack, hang\n");
            return -1;
        }
    }
    return 0;
}

int main(void)
{
    uint32_t seconds;
    REG(SYST + 4) = CORE_HZ / 1000u - 1u; /* 1 ms */
    REG(SYST + 8) = 0;
    REG(SYST + 0) = 7; /* core clock, interrupt, enable */
    REG(UART0 + 0x10) = 16; /* BAUDDIV: any value >= 16 (QEMU sends at once) */
    REG(UART0 + 0x08) = 1;  /* CTRL: TX enable */
    if (parse_args(&seconds) != 0)
        host_exit(1);

    sim_scenario_init(&sim.scenario, 1);
    sim_bmp390_init(&sim.baro, sim_bmp390_default_nvm, sim_scenario_truth, &sim.scenario);
    sim_lsm6ds3_init(&sim.imu, LSM6DS3TRC_WHO_AM_I, sim_scenario_truth, &sim.scenario);

    boots++;
    watchdog_start();
    sb_app_init(&app, now_us());
    if (app.reset_cause == SB_RESET_WATCHDOG)
        report_watchdog();
    app.idle_sleep_us = 0;
    sb_app_link_up(&app, SB_LINK_SERIAL, now_us()); /* a UART has no "port opened" signal */
    const uint8_t start[3] = {100, 0, SB_CH_ALL};
    command(SB_OP_START, start, 3, now_us());
    uint64_t end = (uint64_t)seconds * 1000000u;
    for (;;) {
        uint64_t t = now_us();
        if (t >= end)
            break;
        inject_fault(t);
        watchdog_feed();
        sb_app_poll(&app, t);
        __asm__ volatile("wfi"); /* until the next SysTick: with -icount, time jumps there */
    }
    command(SB_OP_STOP, NULL, 0, now_us());
    host_exit(0);
    return 0;
}
