/* SmartBall on the Seeed XIAO nRF52840 Sense (Seeed nRF52 Arduino core with Adafruit's
 * Bluefruit library): the port functions of sb_port.h and the Arduino setup()/loop().
 *
 * Wiring: BMP390 breakout on Wire (SDA D4 = P0.04, SCL D5 = P0.05) at 0x77 (or 0x76); the
 * on-board LSM6DS3TR-C on Wire1 (P0.07 / P0.27) at 0x6A, powered from P1.08, its INT1 on
 * P0.11. USB CDC is the serial link; BLE is the GATT service of the protocol plus Battery and
 * Device Information.
 *
 * Bluefruit's callbacks run in its own task, never in loop(): they only leave events in
 * small queues here, and loop() hands them to the core, which is not re-entrant.
 *
 * A sealed ball has no reset button within reach: the watchdog (1 s, fed once per loop())
 * restarts a firmware that stopped, and the core reports why it restarted in a LOG frame.
 * Control writes (START, SLEEP, ...) and the DFU service need an encrypted link paired with
 * the ball's passkey (MITM protection), which only someone who had the ball on USB can know:
 * it goes out over serial in a LOG frame (`smartball` shows it), never over the air. */
#include <Arduino.h>
#include <Wire.h>
#include <bluefruit.h>

#include "sb_app.h"

namespace {

/* 2b56000x-ded0-488b-add9-fea68a5030ab, little-endian as Bluefruit wants it. */
#define SB_UUID(x) {0xab, 0x30, 0x50, 0x8a, 0xa6, 0xfe, 0xd9, 0xad, \
                    0x8b, 0x48, 0xd0, 0xde, (x), 0x00, 0x56, 0x2b}
const uint8_t kServiceUuid[16] = SB_UUID(0x01);
const uint8_t kStreamUuid[16] = SB_UUID(0x02);
const uint8_t kControlUuid[16] = SB_UUID(0x03);

BLEService service(kServiceUuid);
BLECharacteristic stream_chr(kStreamUuid);
BLECharacteristic control_chr(kControlUuid);
BLEDis dis;
BLEBas bas;
BLEDfu dfu;
char ble_passkey[7];

sb_app_t app;
char ble_name[SB_MAX_NAME + 1];

/* GPIOs driven through the registers (nRF52840 PS, GPIO PIN_CNF) rather than Arduino pin
 * numbers: the variant has no name for the charge status pin. */
const uint32_t kChargePin = 17;   /* P0.17: BQ25101 CHG, open drain, low while charging */
const uint32_t kImuPowerPin = 8;  /* P1.08: the IMU's supply */
const uint32_t kImuInt1Pin = 11;  /* P0.11: LSM6DS3TR-C INT1 */
/* The P25Q16H QSPI flash (2 MB, unused here): its standby draws about 10-25 uA, deep
 * power-down (0xB9) 0.1 uA. Driven as plain SPI on its pins, mode 0, for that one command. */
const uint32_t kFlashCsPin = 25, kFlashSckPin = 21, kFlashIo0Pin = 20; /* P0.25, P0.21, P0.20 */
const uint8_t kFlashDeepPowerDown = 0xB9;
/* Watchdog: 1 s at 32.768 kHz; it keeps running while the CPU sleeps between loops. */
const uint32_t kWatchdogTicks = 32768;
const uint32_t kWdtReloadValue = 0x6E524635u;
/* SAADC acquisition time for VBAT: the 1 M / 510 k divider (338 kOhm seen from the pin)
 * needs at least 40 us (nRF52840 PS, SAADC "acquisition time" table: 40 us up to 800 k). */
const uint8_t kVbatAcqUs = 40;

/* Notifications the SoftDevice queue can still take. Bluefruit's notify() waits up to 100 ms
 * for room (BLEConnection::getHvnPacket); the core must never wait, so the board counts
 * notifications sent (loop) and completed (BLE task, BLE_GATTS_EVT_HVN_TX_COMPLETE) and
 * refuses a send when the queue is full: the core then counts the samples as dropped. Each
 * counter has one writer, so no lock is needed. */
/* configPrphConn: hvn_qsize 8 (BANDWIDTH_MAX would give 3): with the core holding back
 * samples a busy queue cannot take (up to one 244-byte notification), a connection
 * interval of 100 ms at 200 Hz loses nothing, the first INFO/REPLY frames included. */
const uint32_t kHvnQueue = 8;
const uint16_t kEventLen = 6; /* 7.5 ms connection events, as BANDWIDTH_MAX */
volatile uint32_t hvn_sent, hvn_done;

/* Serial frames wait here for room in TinyUSB's CDC FIFO (256 bytes on this core; a frame is
 * up to SB_SERIAL_MAX = 520). All or nothing per frame; drained from loop() and on every send
 * without ever waiting for the host. */
uint8_t serial_q[2048];
size_t serial_head, serial_len;

/* Events from Bluefruit's task to loop(): single producer, single consumer. */
struct ControlWrite {
    uint16_t len;
    uint8_t data[64]; /* a COMMAND frame is 10 bytes plus its arguments */
};
ControlWrite control_queue[4];
volatile uint8_t control_head, control_tail;
volatile uint16_t conn_handle = BLE_CONN_HANDLE_INVALID;
volatile bool ble_subscribed;

uint64_t now_us()
{
    /* micros() wraps every 71 minutes; the core wants a monotonic 64-bit time. */
    static uint32_t last, high;
    uint32_t t = micros();
    if (t < last)
        high++;
    last = t;
    return (uint64_t)high << 32 | t;
}

TwoWire &bus_of(uint8_t bus)
{
    return bus == SB_BUS_IMU ? Wire1 : Wire;
}

void on_connect(uint16_t handle)
{
    BLEConnection *conn = Bluefruit.Connection(handle);
    conn_handle = handle;
    conn->requestPHY(BLE_GAP_PHY_2MBPS);
    conn->requestDataLengthUpdate();
    conn->requestMtuExchange(247);
    /* 15-30 ms, latency 0, 4 s supervision timeout (units of 1.25 ms and 10 ms). */
    ble_gap_conn_params_t params = {12, 24, 0, 400};
    (void)sd_ble_gap_conn_param_update(handle, &params);
}

void on_ble_event(ble_evt_t *evt)
{
    switch (evt->header.evt_id) {
    case BLE_GAP_EVT_CONNECTED:
    case BLE_GAP_EVT_DISCONNECTED:
        hvn_done = hvn_sent; /* a new link starts with an empty queue */
        break;
    case BLE_GATTS_EVT_HVN_TX_COMPLETE:
        hvn_done = hvn_done + evt->evt.gatts_evt.params.hvn_tx_complete.count;
        break;
    default:
        break;
    }
}

void on_disconnect(uint16_t handle, uint8_t reason)
{
    (void)handle;
    (void)reason;
    ble_subscribed = false;
    conn_handle = BLE_CONN_HANDLE_INVALID;
}

void on_cccd(uint16_t handle, BLECharacteristic *chr, uint16_t value)
{
    (void)handle;
    (void)chr;
    ble_subscribed = (value & BLE_GATT_HVX_NOTIFICATION) != 0;
}

void on_control(uint16_t handle, BLECharacteristic *chr, uint8_t *data, uint16_t len)
{
    (void)chr;
    /* The SoftDevice already refuses an unencrypted write (SECMODE_ENC_WITH_MITM); checked
     * again here, so a change of permissions cannot open it silently. */
    BLEConnection *conn = Bluefruit.Connection(handle);
    if (!conn || !conn->secured() || !conn->bonded())
        return;
    uint8_t next = (uint8_t)((control_head + 1) % 4);
    if (next == control_tail || len > sizeof control_queue[0].data)
        return; /* full or too long for a command: the host gets no reply and retries */
    memcpy(control_queue[control_head].data, data, len);
    control_queue[control_head].len = len;
    control_head = next;
}

void ble_begin()
{
    Bluefruit.configPrphConn(247, kEventLen, kHvnQueue, 1); /* ATT MTU 247 */
    Bluefruit.begin();
    Bluefruit.setTxPower(4);
    Bluefruit.setName(ble_name);
    Bluefruit.autoConnLed(false);
    Bluefruit.Periph.setConnInterval(12, 24);
    Bluefruit.Periph.setConnSupervisionTimeout(400);
    Bluefruit.Periph.setConnectCallback(on_connect);
    Bluefruit.Periph.setDisconnectCallback(on_disconnect);
    Bluefruit.setEventCallback(on_ble_event);
    /* A static passkey (display-only: the central types it), bonded; see sb_ble_passkey. */
    Bluefruit.Security.setIOCaps(true, false, false);
    Bluefruit.Security.setMITM(true);
    Bluefruit.Security.setPIN(ble_passkey);

    /* Over-the-air update: the DFU service with the same protection as Control, so only a
     * paired central can reflash the ball. */
    dfu.setPermission(SECMODE_ENC_WITH_MITM, SECMODE_ENC_WITH_MITM);
    dfu.begin();

    dis.setManufacturer("SmartBall");
    dis.setModel("SmartBall XIAO nRF52840 Sense");
    dis.setFirmwareRev("1.0.0");
    dis.begin();
    bas.begin();

    service.begin();
    stream_chr.setProperties(CHR_PROPS_NOTIFY);
    stream_chr.setPermission(SECMODE_OPEN, SECMODE_NO_ACCESS);
    stream_chr.setMaxLen(244); /* ATT MTU 247 - 3: the largest notification */
    stream_chr.setCccdWriteCallback(on_cccd);
    stream_chr.begin();
    control_chr.setProperties(CHR_PROPS_WRITE | CHR_PROPS_WRITE_WO_RESP);
    /* Writes only on an encrypted link paired with the passkey (MITM): anyone in range may
     * read the stream's notifications once subscribed, nobody unpaired may command it. */
    control_chr.setPermission(SECMODE_NO_ACCESS, SECMODE_ENC_WITH_MITM);
    control_chr.setMaxLen(sizeof control_queue[0].data);
    control_chr.setWriteCallback(on_control);
    control_chr.begin();

    /* The service UUID in the advertisement, the name in the scan response. */
    Bluefruit.Advertising.addFlags(BLE_GAP_ADV_FLAGS_LE_ONLY_GENERAL_DISC_MODE);
    Bluefruit.Advertising.addService(service);
    Bluefruit.ScanResponse.addName();
    Bluefruit.Advertising.restartOnDisconnect(true);
    Bluefruit.Advertising.setInterval(32, 244); /* 20 ms fast, 152.5 ms slow */
    Bluefruit.Advertising.setFastTimeout(30);
    Bluefruit.Advertising.start(0);
}

void serial_drain()
{
    while (serial_len) {
        int room = Serial.availableForWrite();
        size_t run = sizeof serial_q - serial_head;
        size_t n = serial_len < run ? serial_len : run;
        if (room <= 0)
            return;
        if ((size_t)room < n)
            n = (size_t)room;
        n = Serial.write(serial_q + serial_head, n);
        if (n == 0)
            return;
        serial_head = (serial_head + n) % sizeof serial_q;
        serial_len -= n;
    }
}

/* Link state and received bytes, from USB and BLE, into the core. */
void service_links(uint64_t now)
{
    static bool serial_up, ble_up;
    static uint16_t mtu;
    bool dtr = (bool)Serial; /* the host opened the port */
    if (dtr != serial_up) {
        serial_up = dtr;
        serial_len = 0; /* what the last host did not read is stale */
        if (dtr) {
            sb_app_link_up(&app, SB_LINK_SERIAL, now);
            /* Only over USB: whoever has the ball on a cable may pair with it. */
            char text[40] = "BLE pairing passkey ";
            memcpy(text + 20, ble_passkey, 7);
            sb_app_log(&app, SB_LINK_SERIAL, 1, text, now);
        } else
            sb_app_link_down(&app, SB_LINK_SERIAL, now);
    }
    uint8_t buf[64];
    int n = 0;
    while (n < (int)sizeof buf && Serial.available() > 0)
        buf[n++] = (uint8_t)Serial.read();
    if (n)
        sb_app_rx_serial(&app, buf, (size_t)n, now);

    uint16_t handle = conn_handle;
    bool up = handle != BLE_CONN_HANDLE_INVALID && ble_subscribed;
    if (handle != BLE_CONN_HANDLE_INVALID) {
        BLEConnection *conn = Bluefruit.Connection(handle);
        uint16_t m = conn ? conn->getMtu() : 23;
        if (m != mtu) {
            mtu = m;
            sb_app_set_mtu(&app, m, now);
        }
    } else if (mtu != 0) {
        mtu = 0;
        sb_app_set_mtu(&app, 23, now); /* the next central starts from the default again */
    }
    if (up != ble_up) {
        ble_up = up;
        if (up)
            sb_app_link_up(&app, SB_LINK_BLE, now);
        else
            sb_app_link_down(&app, SB_LINK_BLE, now);
    }
    sb_app_ble_in_flight(&app, up ? (unsigned)(hvn_sent - hvn_done) : 0u);
    while (control_tail != control_head) {
        const ControlWrite &w = control_queue[control_tail];
        sb_app_rx_frame(&app, SB_LINK_BLE, w.data, w.len, now);
        control_tail = (uint8_t)((control_tail + 1) % 4);
    }
}

} // namespace

/* ------------------------------------------------------------------------- the port */

extern "C" int sb_port_i2c_read(uint8_t bus, uint8_t addr, uint8_t reg, uint8_t *data,
                                uint16_t len)
{
    TwoWire &w = bus_of(bus);
    w.beginTransmission(addr);
    w.write(reg);
    if (w.endTransmission(false) != 0)
        return -1;
    if (w.requestFrom(addr, (size_t)len) != len)
        return -1;
    for (uint16_t i = 0; i < len; i++)
        data[i] = (uint8_t)w.read();
    return 0;
}

extern "C" int sb_port_i2c_write(uint8_t bus, uint8_t addr, uint8_t reg, const uint8_t *data,
                                 uint16_t len)
{
    TwoWire &w = bus_of(bus);
    w.beginTransmission(addr);
    w.write(reg);
    w.write(data, len);
    return w.endTransmission() == 0 ? 0 : -1;
}

extern "C" void sb_port_delay_us(uint32_t us)
{
    delayMicroseconds(us);
}

/* Bus recovery (NXP UM10204 3.1.16): a device stuck mid-byte holds SDA low until it has
 * clocked its byte out; up to nine SCL pulses let it finish, then a STOP. The pins are taken
 * from the TWIM for it (Wire.end()) and given back (Wire.begin()). Adafruit's Wire waits for
 * the TWIM with no timeout of its own: a transfer that never ends is the watchdog's. */
extern "C" int sb_port_i2c_recover(uint8_t bus)
{
    TwoWire &w = bus_of(bus);
    uint32_t sda = bus == SB_BUS_IMU ? PIN_WIRE1_SDA : PIN_WIRE_SDA;
    uint32_t scl = bus == SB_BUS_IMU ? PIN_WIRE1_SCL : PIN_WIRE_SCL;
    w.end();
    pinMode(sda, INPUT_PULLUP);
    pinMode(scl, OUTPUT_S0D1); /* open drain, as the bus wants */
    digitalWrite(scl, HIGH);
    delayMicroseconds(5);
    for (int i = 0; i < 9 && digitalRead(sda) == LOW; i++) {
        digitalWrite(scl, LOW);
        delayMicroseconds(5);
        digitalWrite(scl, HIGH);
        delayMicroseconds(5);
    }
    pinMode(sda, OUTPUT_S0D1); /* STOP: SDA rises while SCL is high */
    digitalWrite(sda, LOW);
    delayMicroseconds(5);
    digitalWrite(scl, HIGH);
    delayMicroseconds(5);
    digitalWrite(sda, HIGH);
    delayMicroseconds(5);
    pinMode(sda, INPUT_PULLUP);
    pinMode(scl, INPUT_PULLUP);
    int free_now = digitalRead(sda) == HIGH && digitalRead(scl) == HIGH;
    if (!free_now && bus == SB_BUS_IMU) {
        /* The IMU is powered from a pin: a power cycle is the reset of last resort. */
        digitalWrite(PIN_LSM6DS3TR_C_POWER, LOW);
        delay(10);
        digitalWrite(PIN_LSM6DS3TR_C_POWER, HIGH);
        delay(20);
        free_now = digitalRead(sda) == HIGH;
    }
    w.begin();
    w.setClock(400000);
    return free_now ? 0 : -1;
}

namespace {
uint32_t reset_reason; /* RESETREAS at boot */
}

extern "C" sb_reset_cause_t sb_port_reset_cause(void)
{
    /* nRF52840 PS, POWER RESETREAS: bit 0 RESETPIN, 1 DOG, 2 SREQ, 3 LOCKUP, 16 OFF (DETECT),
     * 20 VBUS (USB power woke System OFF); none set: power on or brown-out. */
    uint32_t r = reset_reason;
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

extern "C" int sb_port_send(sb_link_t link, const uint8_t *data, size_t len)
{
    if (link == SB_LINK_SERIAL) {
        /* All or nothing: half a frame would cost the next one too. */
        if (len > sizeof serial_q - serial_len)
            return -1;
        for (size_t i = 0, tail = (serial_head + serial_len) % sizeof serial_q; i < len; i++) {
            serial_q[tail] = data[i];
            tail = (tail + 1) % sizeof serial_q;
        }
        serial_len += len;
        serial_drain();
        return 0;
    }
    uint16_t handle = conn_handle;
    if (handle == BLE_CONN_HANDLE_INVALID || hvn_sent - hvn_done >= kHvnQueue)
        return -1; /* queue full: never wait for the radio */
    if (!stream_chr.notify(handle, data, (uint16_t)len))
        return -1;
    hvn_sent = hvn_sent + 1;
    return 0;
}

extern "C" void sb_port_battery(uint16_t *mv, uint8_t *percent, int *charging)
{
    /* VBAT through 1 M / 510 k to P0.31, enabled by VBAT_ENABLE low (kept low while awake:
     * driving it high while charging puts the cell's voltage on the ADC pin). The SAADC
     * samples for 40 us (setup(): analogSampleTime), as the divider's impedance needs. */
    uint16_t v = sb_adc_to_mv((int32_t)analogRead(PIN_VBAT), 4096, 3000, 1510, 510);
    *mv = v;
    *percent = v > 2500 ? sb_lipo_percent(v) : 255; /* no cell: unknown */
    /* CHG is open drain: low while charging, pulled up (setup) otherwise. */
    *charging = ((NRF_P0->IN >> kChargePin) & 1u) == 0;
    bas.write(*percent == 255 ? 0 : *percent);
}

extern "C" void sb_port_led(int on)
{
    digitalWrite(LED_BLUE, on ? LOW : HIGH); /* active low */
}

extern "C" void sb_port_device_id(uint8_t id[8])
{
    uint32_t hi = NRF_FICR->DEVICEID[1], lo = NRF_FICR->DEVICEID[0];
    for (int i = 0; i < 4; i++) {
        id[i] = (uint8_t)(hi >> (24 - 8 * i));
        id[4 + i] = (uint8_t)(lo >> (24 - 8 * i));
    }
}

extern "C" uint32_t sb_port_random32(void)
{
    uint8_t b[4] = {0, 0, 0, 0};
    uint8_t avail = 0;
    /* The SoftDevice owns the RNG; before Bluefruit.begin() it is not running. */
    for (int tries = 0; tries < 100 && avail < 4; tries++) {
        (void)sd_rand_application_bytes_available_get(&avail);
        if (avail < 4)
            delay(1);
    }
    if (sd_rand_application_vector_get(b, 4) != 0)
        return micros();
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

namespace {
/* One byte to the QSPI flash as plain SPI (mode 0, MSB first) on IO0: enough for a command
 * with no address or data. */
void flash_command(uint8_t cmd)
{
    pinMode(kFlashCsPin, OUTPUT);
    pinMode(kFlashSckPin, OUTPUT);
    pinMode(kFlashIo0Pin, OUTPUT);
    digitalWrite(kFlashSckPin, LOW);
    digitalWrite(kFlashCsPin, LOW);
    for (int bit = 7; bit >= 0; bit--) {
        digitalWrite(kFlashIo0Pin, (cmd >> bit) & 1u ? HIGH : LOW);
        delayMicroseconds(1);
        digitalWrite(kFlashSckPin, HIGH);
        delayMicroseconds(1);
        digitalWrite(kFlashSckPin, LOW);
    }
    digitalWrite(kFlashCsPin, HIGH);
}

/* The BLE passkey: six digits from the chip's encryption root (FICR ER, random per chip,
 * never sent anywhere), so it is fixed for a ball and unknown to anyone who has only
 * heard it over the air (the device id in INFO is public). */
void make_passkey(char out[7])
{
    uint32_t h = 2166136261u; /* FNV-1a over ER */
    for (int i = 0; i < 4; i++) {
        for (int b = 0; b < 4; b++) {
            h ^= (NRF_FICR->ER[i] >> (8 * b)) & 0xFFu;
            h *= 16777619u;
        }
    }
    h %= 1000000u;
    for (int i = 5; i >= 0; i--) {
        out[i] = (char)('0' + h % 10u);
        h /= 10u;
    }
    out[6] = '\0';
}

void watchdog_feed()
{
    NRF_WDT->RR[0] = kWdtReloadValue;
}
} // namespace

extern "C" void sb_port_sleep(void)
{
    Bluefruit.Advertising.stop();
    digitalWrite(LED_BLUE, HIGH);
    serial_drain();
    Serial.flush();
    delay(50);
    watchdog_feed();
    /* What draws current for nothing while the ball sleeps: the flash's standby (deep
     * power-down: 0.1 uA) and the battery divider (4.2 V / 1.51 MOhm = 2.8 uA with
     * VBAT_ENABLE low; high, only the 0.9 V above VDD drives 0.6 uA, and P0.31 stays at
     * 3.6 V at most, VDD + 0.3 V, the pin's limit). A wake is a reset: setup() turns it back. */
    flash_command(kFlashDeepPowerDown);
    digitalWrite(VBAT_ENABLE, HIGH);
    /* The IMU stays powered: the core armed its wake-up interrupt. INT1 going high (the ball
     * picked up) wakes the chip from System OFF through the GPIO DETECT signal; so does USB
     * power rising (the charger plugged in). Either wake is a reset. */
    NRF_P0->PIN_CNF[kImuInt1Pin] = GPIO_PIN_CNF_DIR_Input << GPIO_PIN_CNF_DIR_Pos |
                                   GPIO_PIN_CNF_INPUT_Connect << GPIO_PIN_CNF_INPUT_Pos |
                                   GPIO_PIN_CNF_PULL_Pulldown << GPIO_PIN_CNF_PULL_Pos |
                                   GPIO_PIN_CNF_SENSE_High << GPIO_PIN_CNF_SENSE_Pos;
    (void)sd_power_reset_reason_clr(0xFFFFFFFFu); /* a stale reason can wake it at once */
    (void)sd_power_system_off();
    /* Still here: System OFF was refused (a debugger attached emulates it, and returns).
     * Wait as it would, at low power, for the same wake signals, then reset as a real wake
     * does; never back to the core, which would arm the IMU and try again forever. */
    for (;;) {
        watchdog_feed();
        if ((NRF_P0->IN >> kImuInt1Pin) & 1u)
            NVIC_SystemReset();
        delay(100); /* the FreeRTOS idle task sleeps the CPU (WFE) meanwhile */
    }
}

/* ------------------------------------------------------------------------- Arduino */

void setup()
{
    /* Why we reset, before the SoftDevice owns POWER; cleared so the next boot is told
     * its own reason only. */
    reset_reason = NRF_POWER->RESETREAS;
    NRF_POWER->RESETREAS = reset_reason;
    /* The watchdog, before anything that could hang: 1 s, running while the CPU sleeps,
     * paused while a debugger halts it. Once started it cannot be stopped (only a reset). */
    NRF_WDT->CONFIG = 1u;            /* SLEEP: run; HALT: pause */
    NRF_WDT->CRV = kWatchdogTicks;
    NRF_WDT->RREN = 1u;              /* RR[0] only */
    NRF_WDT->TASKS_START = 1u;
    pinMode(LED_BLUE, OUTPUT);
    digitalWrite(LED_BLUE, HIGH);
    pinMode(VBAT_ENABLE, OUTPUT);
    digitalWrite(VBAT_ENABLE, LOW);
    pinMode(PIN_CHARGING_CURRENT, OUTPUT);
    digitalWrite(PIN_CHARGING_CURRENT, HIGH); /* 50 mA: gentle on a small cell in a ball */
    /* CHG is open drain: without the pull-up it floats and reads "charging". */
    NRF_P0->PIN_CNF[kChargePin] = GPIO_PIN_CNF_DIR_Input << GPIO_PIN_CNF_DIR_Pos |
                                  GPIO_PIN_CNF_INPUT_Connect << GPIO_PIN_CNF_INPUT_Pos |
                                  GPIO_PIN_CNF_PULL_Pullup << GPIO_PIN_CNF_PULL_Pos;
    analogReference(AR_INTERNAL_3_0);
    analogReadResolution(12);
    analogSampleTime(kVbatAcqUs);
    /* The IMU's supply comes from a GPIO: high drive (H0H1), as Seeed's LSM6DS3 library sets
     * it, so the pin holds 3.3 V under the IMU's current. */
    pinMode(PIN_LSM6DS3TR_C_POWER, OUTPUT);
    NRF_P1->PIN_CNF[kImuPowerPin] = GPIO_PIN_CNF_DIR_Output << GPIO_PIN_CNF_DIR_Pos |
                                    GPIO_PIN_CNF_INPUT_Disconnect << GPIO_PIN_CNF_INPUT_Pos |
                                    GPIO_PIN_CNF_DRIVE_H0H1 << GPIO_PIN_CNF_DRIVE_Pos;
    digitalWrite(PIN_LSM6DS3TR_C_POWER, HIGH);
    flash_command(kFlashDeepPowerDown); /* unused while awake too */
    Serial.begin(115200); /* USB CDC: the baud rate is ignored */
    Wire.begin();
    Wire.setClock(400000);
    Wire1.begin();
    Wire1.setClock(400000);
    delay(20); /* sensors' power-on time */

    uint8_t id[8];
    sb_port_device_id(id);
    sb_device_name(id, ble_name); /* the same name as in INFO, before advertising starts */
    make_passkey(ble_passkey);
    ble_begin();
    sb_app_init(&app, now_us());
}

void loop()
{
    uint64_t now = now_us();
    service_links(now);
    sb_app_poll(&app, now);
    serial_drain();
    watchdog_feed(); /* one whole loop went round: the firmware is alive */
    /* The FIFOs hold hundreds of milliseconds; 1 ms of idle keeps the CPU mostly asleep. */
    delay(1);
}
