/* Port of the core to a bare nRF52840 (no SoftDevice, no Arduino): registers only.
 * Serial is UARTE0 at 921600 8N1 on the XIAO's D6 (TX, P1.11) / D7 (RX, P1.12); there is
 * no BLE here. It serves bring-up over SWD and keeps the core honest about what a real
 * image costs (`make cross` links and sizes it). Pins are the XIAO nRF52840 Sense's, the
 * same as the Arduino board layer's. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sb_app.h"
#include "sb_rx_ring.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

/* Peripheral bases (nRF52840 Product Specification v1.7). */
#define CLOCK 0x40000000u
#define POWER 0x40000000u
#define UARTE0 0x40002000u
#define TWIM0 0x40003000u
#define TWIM1 0x40004000u
#define SAADC 0x40007000u
#define RNG 0x4000D000u
#define WDT 0x40010000u
#define FICR 0x10000000u
#define P0 0x50000000u
#define P1 0x50000300u
#define SYST 0xE000E010u

#define PIN(port, n) ((uint32_t)((port) << 5 | (n)))
#define EXT_SDA PIN(0, 4)  /* D4 */
#define EXT_SCL PIN(0, 5)  /* D5 */
#define IMU_SDA PIN(0, 7)  /* on-board, internal bus */
#define IMU_SCL PIN(0, 27)
#define IMU_POWER PIN(1, 8)
#define IMU_INT1 PIN(0, 11) /* LSM6DS3TR-C INT1: wake-up interrupt */
#define UART_TX PIN(1, 11) /* D6 */
#define UART_RX PIN(1, 12) /* D7 */
#define LED_BLUE PIN(0, 6) /* active low */
#define VBAT_ENABLE PIN(0, 14) /* low: connects the battery divider (1 M / 510 k) */
#define VBAT_AIN 8u        /* P0.31 = AIN7; PSELP value is AIN + 1 */
#define CHARGE_STAT PIN(0, 17) /* BQ25101 CHG, low while charging */

static volatile uint32_t ms_ticks;

void SysTick_Handler(void);
void SysTick_Handler(void)
{
    ms_ticks++;
}

static uint64_t now_us(void)
{
    static uint32_t high, last_ms;
    uint32_t ms, cvr;
    do {
        ms = ms_ticks;
        cvr = REG(SYST + 8);
    } while (ms != ms_ticks);
    if (ms < last_ms)
        high++; /* 49.7 days */
    last_ms = ms;
    return ((uint64_t)high << 32 | ms) * 1000u + (63999u - cvr) / 64u;
}

static void watchdog_feed(void)
{
    REG(WDT + 0x600) = 0x6E524635u; /* RR[0] */
}

static uint32_t gpio_base(uint32_t pin)
{
    return pin >> 5 ? P1 : P0;
}

static void gpio_out(uint32_t pin, int high)
{
    uint32_t b = gpio_base(pin);
    REG(b + 0x518) = 1u << (pin & 31);                   /* DIRSET */
    REG(b + (high ? 0x508u : 0x50Cu)) = 1u << (pin & 31); /* OUTSET / OUTCLR */
}

static void gpio_input_pullup(uint32_t pin)
{
    REG(gpio_base(pin) + 0x700 + 4 * (pin & 31)) = 3u << 2; /* input, connected, pull-up */
}

/* Output with high drive (PIN_CNF DRIVE = H0H1): the IMU is supplied from a pin, as
 * Seeed's LSM6DS3 library configures it. */
static void gpio_out_high_drive(uint32_t pin, int high)
{
    REG(gpio_base(pin) + 0x700 + 4 * (pin & 31)) = 1u | 1u << 1 | 3u << 8;
    gpio_out(pin, high);
}

static int gpio_read(uint32_t pin)
{
    return (int)((REG(gpio_base(pin) + 0x510) >> (pin & 31)) & 1u); /* IN */
}

/* ------------------------------------------------------------------------------- I2C */

/* Every wait on the hardware ends: by the event, or after timeout_us of the SysTick clock. */
static int wait_event_us(uint32_t addr, uint32_t timeout_us)
{
    uint64_t end = now_us() + timeout_us;
    while (!REG(addr)) {
        if (now_us() > end)
            return -1;
    }
    return 0;
}

static int wait_event(uint32_t addr)
{
    return wait_event_us(addr, 10000u);
}

static void twim_init(uint32_t twim, uint32_t sda, uint32_t scl)
{
    /* Open drain with pull-ups: S0D1 drive, input connected. */
    REG(gpio_base(sda) + 0x700 + 4 * (sda & 31)) = 3u << 2 | 6u << 8;
    REG(gpio_base(scl) + 0x700 + 4 * (scl & 31)) = 3u << 2 | 6u << 8;
    REG(twim + 0x508) = scl;
    REG(twim + 0x50C) = sda;
    REG(twim + 0x524) = 0x06400000u; /* 400 kHz */
    REG(twim + 0x500) = 6;           /* enable TWIM */
}

static int twim_run(uint32_t twim, uint32_t shorts)
{
    REG(twim + 0x104) = 0; /* EVENTS_STOPPED */
    REG(twim + 0x124) = 0; /* EVENTS_ERROR */
    REG(twim + 0x200) = shorts;
    REG(twim + 0x008) = 1; /* TASKS_STARTTX */
    /* 33 bytes at 400 kHz take 0.75 ms; a device stretching the clock past 5 ms is stuck. */
    uint64_t end = now_us() + 5000u;
    for (;;) {
        if (REG(twim + 0x124)) { /* NACK: stop and report */
            REG(twim + 0x014) = 1;
            (void)wait_event_us(twim + 0x104, 1000u);
            REG(twim + 0x4C4) = REG(twim + 0x4C4); /* clear ERRORSRC */
            return -1;
        }
        if (REG(twim + 0x104))
            return 0;
        if (now_us() > end) {
            REG(twim + 0x014) = 1; /* TASKS_STOP; the core then recovers the bus */
            return -1;
        }
    }
}

static uint32_t twim_of(uint8_t bus)
{
    return bus == SB_BUS_IMU ? TWIM1 : TWIM0;
}

static void pin_cnf(uint32_t pin, uint32_t cnf)
{
    REG(gpio_base(pin) + 0x700 + 4 * (pin & 31)) = cnf;
}

/* Output, open drain (S0D1), input connected, pull-up: the bus's own wiring, by hand. */
static void od_pin(uint32_t pin, int high)
{
    pin_cnf(pin, 1u | 3u << 2 | 6u << 8);
    REG(gpio_base(pin) + (high ? 0x508u : 0x50Cu)) = 1u << (pin & 31);
}

/* NXP UM10204 3.1.16: up to nine SCL pulses until the device holding SDA lets go, then a
 * STOP; the TWIM is off meanwhile (it owns the pins while enabled). */
int sb_port_i2c_recover(uint8_t bus)
{
    uint32_t t = twim_of(bus);
    uint32_t sda = bus == SB_BUS_IMU ? IMU_SDA : EXT_SDA, scl = bus == SB_BUS_IMU ? IMU_SCL : EXT_SCL;
    REG(t + 0x500) = 0;
    od_pin(sda, 1);
    od_pin(scl, 1);
    sb_port_delay_us(5);
    for (int i = 0; i < 9 && !gpio_read(sda); i++) {
        od_pin(scl, 0);
        sb_port_delay_us(5);
        od_pin(scl, 1);
        sb_port_delay_us(5);
    }
    od_pin(sda, 0); /* STOP: SDA rises while SCL is high */
    sb_port_delay_us(5);
    od_pin(scl, 1);
    sb_port_delay_us(5);
    od_pin(sda, 1);
    sb_port_delay_us(5);
    int free_now = gpio_read(sda) && gpio_read(scl);
    twim_init(t, sda, scl);
    return free_now ? 0 : -1;
}

int sb_port_i2c_read(uint8_t bus, uint8_t addr, uint8_t reg, uint8_t *data, uint16_t len)
{
    static uint8_t reg_buf; /* EasyDMA reads from RAM only */
    uint32_t t = twim_of(bus);
    reg_buf = reg;
    REG(t + 0x588) = addr;
    REG(t + 0x544) = (uint32_t)(uintptr_t)&reg_buf;
    REG(t + 0x548) = 1;
    REG(t + 0x534) = (uint32_t)(uintptr_t)data;
    REG(t + 0x538) = len;
    return twim_run(t, 1u << 7 | 1u << 12); /* LASTTX_STARTRX, LASTRX_STOP */
}

int sb_port_i2c_write(uint8_t bus, uint8_t addr, uint8_t reg, const uint8_t *data, uint16_t len)
{
    static uint8_t buf[SB_BUS_MAX_XFER + 1];
    uint32_t t = twim_of(bus);
    if (len > SB_BUS_MAX_XFER)
        return -1;
    buf[0] = reg;
    memcpy(buf + 1, data, len);
    REG(t + 0x588) = addr;
    REG(t + 0x544) = (uint32_t)(uintptr_t)buf;
    REG(t + 0x548) = len + 1u;
    return twim_run(t, 1u << 9); /* LASTTX_STOP */
}

void sb_port_delay_us(uint32_t us)
{
    uint64_t end = now_us() + us;
    while (now_us() < end)
        ;
}

/* ---------------------------------------------------------------------------- serial */

/* Frames queue in a ring; EasyDMA sends the oldest contiguous run while the core works. */
static uint8_t tx_ring[640]; /* one whole frame (520) while the last goes out */
static size_t tx_head, tx_tail, tx_busy;

/* Received bytes land in a ring by EasyDMA while the core is busy (sb_rx_ring.h). At 921600
 * baud a byte comes every 10.9 us; nothing else masks interrupts, so the handler runs well
 * within a byte time. */
static sb_rx_ring_t rx;
static volatile uint32_t rx_errors;

#define UARTE_EVENTS_ENDRX 0x110u
#define UARTE_EVENTS_ERROR 0x124u
#define UARTE_EVENTS_RXSTARTED 0x14Cu
#define NVIC_ISER0 0xE000E100u
#define UARTE0_IRQN 2u

void UARTE0_UART0_IRQHandler(void);
void UARTE0_UART0_IRQHandler(void)
{
    if (REG(UARTE0 + UARTE_EVENTS_ENDRX)) {
        REG(UARTE0 + UARTE_EVENTS_ENDRX) = 0;
        sb_rx_ring_endrx(&rx);
    }
    if (REG(UARTE0 + UARTE_EVENTS_RXSTARTED)) {
        REG(UARTE0 + UARTE_EVENTS_RXSTARTED) = 0;
        REG(UARTE0 + 0x534) = (uint32_t)(uintptr_t)sb_rx_ring_started(&rx); /* RXD.PTR */
    }
    if (REG(UARTE0 + UARTE_EVENTS_ERROR)) { /* framing, parity, break or overrun */
        REG(UARTE0 + UARTE_EVENTS_ERROR) = 0;
        REG(UARTE0 + 0x480) = REG(UARTE0 + 0x480); /* clear ERRORSRC */
        rx_errors = rx_errors + 1;
    }
}

static void uart_init(void)
{
    gpio_out(UART_TX, 1);
    gpio_input_pullup(UART_RX);
    REG(UARTE0 + 0x50C) = UART_TX;
    REG(UARTE0 + 0x514) = UART_RX;
    REG(UARTE0 + 0x524) = 0x0F000000u; /* 921600 baud */
    REG(UARTE0 + 0x500) = 8;           /* enable UARTE */
    REG(UARTE0 + 0x534) = (uint32_t)(uintptr_t)sb_rx_ring_start(&rx);
    REG(UARTE0 + 0x538) = 1;                   /* RXD.MAXCNT */
    REG(UARTE0 + 0x200) = 1u << 5;             /* SHORTS: ENDRX_STARTRX */
    REG(UARTE0 + 0x304) = 1u << 4 | 1u << 9 | 1u << 19; /* INTENSET: ENDRX, ERROR, RXSTARTED */
    REG(NVIC_ISER0) = 1u << UARTE0_IRQN;
    REG(UARTE0 + 0x000) = 1; /* TASKS_STARTRX */
}

static void uart_kick(void)
{
    if (tx_busy) {
        if (!REG(UARTE0 + 0x120)) /* EVENTS_ENDTX */
            return;
        REG(UARTE0 + 0x120) = 0;
        tx_tail = (tx_tail + tx_busy) % sizeof tx_ring;
        tx_busy = 0;
    }
    if (tx_head == tx_tail)
        return;
    tx_busy = tx_head > tx_tail ? tx_head - tx_tail : sizeof tx_ring - tx_tail;
    REG(UARTE0 + 0x544) = (uint32_t)(uintptr_t)(tx_ring + tx_tail);
    REG(UARTE0 + 0x548) = tx_busy;
    REG(UARTE0 + 0x008) = 1; /* TASKS_STARTTX */
}

int sb_port_send(sb_link_t link, const uint8_t *data, size_t len)
{
    size_t used = (tx_head + sizeof tx_ring - tx_tail) % sizeof tx_ring;
    if (link != SB_LINK_SERIAL || len >= sizeof tx_ring - used)
        return -1;
    for (size_t i = 0; i < len; i++) {
        tx_ring[tx_head] = data[i];
        tx_head = (tx_head + 1) % sizeof tx_ring;
    }
    uart_kick();
    return 0;
}

/* ------------------------------------------------------------------- the rest of the port */

void sb_port_battery(uint16_t *mv, uint8_t *percent, int *charging)
{
    static volatile int16_t result;
    gpio_out(VBAT_ENABLE, 0);
    REG(SAADC + 0x500) = 1;                   /* ENABLE */
    REG(SAADC + 0x510) = VBAT_AIN;            /* CH[0].PSELP = AIN7 */
    REG(SAADC + 0x518) = 0u << 8 | 5u << 16;  /* gain 1/6, internal 0.6 V, 40 us acquisition */
    REG(SAADC + 0x5F0) = 2;                   /* 12 bit */
    REG(SAADC + 0x62C) = (uint32_t)(uintptr_t)&result;
    REG(SAADC + 0x630) = 1;
    REG(SAADC + 0x104) = 0;
    REG(SAADC + 0x000) = 1; /* START */
    REG(SAADC + 0x004) = 1; /* SAMPLE */
    int ok = wait_event(SAADC + 0x104) == 0;
    REG(SAADC + 0x008) = 1; /* STOP */
    REG(SAADC + 0x500) = 0;
    /* 3.6 V full scale (0.6 V reference, gain 1/6) over 4096 codes, times the divider. */
    uint16_t v = ok ? sb_adc_to_mv(result, 4096, 3600, 1510, 510) : 0;
    *mv = v;
    *percent = v > 2500 ? sb_lipo_percent(v) : 255; /* no cell: unknown */
    *charging = gpio_read(CHARGE_STAT) == 0;
}

void sb_port_led(int on)
{
    gpio_out(LED_BLUE, !on);
}

void sb_port_device_id(uint8_t id[8])
{
    uint32_t lo = REG(FICR + 0x060), hi = REG(FICR + 0x064);
    for (int i = 0; i < 4; i++) {
        id[i] = (uint8_t)(hi >> (24 - 8 * i));
        id[4 + i] = (uint8_t)(lo >> (24 - 8 * i));
    }
}

uint32_t sb_port_random32(void)
{
    uint32_t v = 0;
    REG(RNG + 0x504) = 1; /* bias correction */
    REG(RNG + 0x000) = 1; /* START */
    for (int i = 0; i < 4; i++) {
        REG(RNG + 0x100) = 0;
        (void)wait_event(RNG + 0x100);
        v = v << 8 | (REG(RNG + 0x508) & 0xFFu);
    }
    REG(RNG + 0x004) = 1; /* STOP */
    return v;
}

void sb_port_sleep(void)
{
    /* EasyDMA must be idle before System OFF: let the last frames go out, stop reception. */
    for (uint32_t i = 0; i < 2000000u && (tx_busy || tx_head != tx_tail); i++)
        uart_kick();
    REG(UARTE0 + 0x200) = 0;                 /* no ENDRX_STARTRX */
    REG(UARTE0 + 0x308) = 0xFFFFFFFFu;       /* INTENCLR */
    REG(UARTE0 + 0x144) = 0;                 /* EVENTS_RXTO */
    REG(UARTE0 + 0x004) = 1;                 /* TASKS_STOPRX */
    (void)wait_event(UARTE0 + 0x144);
    REG(UARTE0 + 0x500) = 0;
    /* The IMU stays powered with its wake-up interrupt armed (the core did that): INT1 high
     * wakes the chip from System OFF through DETECT (input, pull-down, SENSE high); so do
     * USB power rising and a reset. Every wake is a reset. */
    REG(P0 + 0x700 + 4 * (IMU_INT1 & 31)) = 1u << 2 | 2u << 16;
    gpio_out(VBAT_ENABLE, 1); /* the divider's 2.8 uA: see the XIAO layer */
    watchdog_feed(); /* System OFF stops the watchdog with everything else */
    REG(POWER + 0x400) = 0xFFFFFFFFu; /* clear RESETREAS, or System OFF may wake at once */
    REG(POWER + 0x500) = 1; /* SYSTEMOFF */
    for (;;)
        ;
}

static uint32_t reset_reason;

sb_reset_cause_t sb_port_reset_cause(void)
{
    uint32_t r = reset_reason; /* POWER RESETREAS: see the XIAO layer */
    if (r & (1u << 1))
        return SB_RESET_WATCHDOG;
    if (r & (1u << 3))
        return SB_RESET_LOCKUP;
    if (r & ((1u << 16) | (1u << 20)))
        return SB_RESET_WAKE;
    if (r & (1u << 2))
        return SB_RESET_SOFT;
    if (r & 1u)
        return SB_RESET_PIN;
    return SB_RESET_POWER_ON;
}

static sb_app_t app;

int main(void)
{
    reset_reason = REG(POWER + 0x400);
    REG(POWER + 0x400) = reset_reason; /* cleared: the next boot learns its own */
    /* Watchdog: 1 s (32768 ticks of the 32 kHz clock), running in sleep, paused on a
     * debugger halt, reload register 0. */
    REG(WDT + 0x50C) = 1u;     /* CONFIG */
    REG(WDT + 0x504) = 32768u; /* CRV */
    REG(WDT + 0x508) = 1u;     /* RREN */
    REG(WDT + 0x000) = 1u;     /* TASKS_START */
    REG(SYST + 4) = 64000u - 1u; /* 1 ms at 64 MHz: the clock every wait is bounded by */
    REG(SYST + 8) = 0;
    REG(SYST + 0) = 7; /* core clock, interrupt, enable */
    REG(CLOCK + 0x100) = 0;
    REG(CLOCK + 0x000) = 1; /* HFXO: the UART's baud rate needs the crystal */
    (void)wait_event(CLOCK + 0x100);

    gpio_out(LED_BLUE, 1);
    gpio_input_pullup(CHARGE_STAT);
    gpio_out_high_drive(IMU_POWER, 1);
    twim_init(TWIM0, EXT_SDA, EXT_SCL);
    twim_init(TWIM1, IMU_SDA, IMU_SCL);
    uart_init();
    sb_port_delay_us(20000); /* sensors' power-on time */

    sb_app_init(&app, now_us());
    sb_app_link_up(&app, SB_LINK_SERIAL, now_us()); /* a UART has no "port opened" signal */
    for (;;) {
        uint8_t bytes[64];
        size_t n;
        while ((n = sb_rx_ring_take(&rx, bytes, sizeof bytes)) != 0)
            sb_app_rx_serial(&app, bytes, n, now_us());
        sb_app_poll(&app, now_us());
        uart_kick();
        watchdog_feed();
    }
}
