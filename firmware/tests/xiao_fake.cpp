/* The fake behind the XIAO board layer's API stubs; see xiao_fake.h. */
#include "xiao_fake.h"

#include <Arduino.h>
#include <Wire.h>
#include <bluefruit.h>

#include <string.h>

#include "bmp390.h"
#include "lsm6ds3.h"

XiaoFake fake;

static NRF_FICR_Type ficr = {{0x5BA11000u, 0xC0FFEE42u}, {0x0123ABCDu, 0x4567EF01u, 0x89AB2345u, 0xCDEF6789u}};
static NRF_GPIO_Type p0, p1;
NRF_FICR_Type *NRF_FICR = &ficr;
NRF_GPIO_Type *NRF_P0 = &p0;
NRF_GPIO_Type *NRF_P1 = &p1;
static NRF_POWER_Type power;
static NRF_WDT_Type wdt;
NRF_POWER_Type *NRF_POWER = &power;
NRF_WDT_Type *NRF_WDT = &wdt;
NRF_WDT_Type *fake_wdt = &wdt;
NRF_POWER_Type *fake_power = &power;

Adafruit_USBD_CDC Serial;
TwoWire Wire, Wire1;
AdafruitBluefruit Bluefruit;

void fake_reset(sim_truth_fn truth, void *user)
{
    uint64_t now = fake.now_us; /* the board's clock only goes forward */
    memset(&fake, 0, sizeof fake);
    fake.now_us = now;
    memset(&p0, 0, sizeof p0);
    memset(&p1, 0, sizeof p1);
    p0.IN = 1u << 17; /* CHG released: not charging */
    memset(&wdt, 0, sizeof wdt);
    fake.secured = fake.bonded = true;
    sim_bmp390_init(&fake.baro, sim_bmp390_default_nvm, truth, user);
    sim_lsm6ds3_init(&fake.imu, LSM6DS3TRC_WHO_AM_I, truth, user);
    fake.baro_addr = BMP390_I2C_ADDR;
    fake.mtu = 23;
}

void fake_host_read(void)
{
    if (fake.host_rx_len + fake.cdc_len <= sizeof fake.host_rx) {
        memcpy(fake.host_rx + fake.host_rx_len, fake.cdc_fifo, fake.cdc_len);
        fake.host_rx_len += fake.cdc_len;
    }
    fake.cdc_len = 0;
}

void fake_hvn_complete(uint8_t count)
{
    ble_evt_t evt;
    memset(&evt, 0, sizeof evt);
    evt.header.evt_id = BLE_GATTS_EVT_HVN_TX_COMPLETE;
    evt.evt.gatts_evt.params.hvn_tx_complete.count = count;
    fake.hvn_in_flight -= count;
    if (fake.event_cb)
        fake.event_cb(&evt);
}

void fake_ble_connect(uint16_t mtu)
{
    ble_evt_t evt;
    memset(&evt, 0, sizeof evt);
    evt.header.evt_id = BLE_GAP_EVT_CONNECTED;
    fake.connected = true;
    fake.hvn_in_flight = 0;
    if (fake.event_cb)
        fake.event_cb(&evt);
    fake.connect_cb(0);
    fake.cccd_cb(0, fake.stream_chr, BLE_GATT_HVX_NOTIFICATION);
    fake.mtu = mtu;
}

void fake_ble_write(const uint8_t *frame, uint16_t len)
{
    uint8_t copy[256];
    memcpy(copy, frame, len);
    fake.control_cb(0, fake.control_chr, copy, len);
}

/* ------------------------------------------------------------------------- Arduino */

void pinMode(uint32_t pin, uint32_t mode) { fake.pin_mode[pin & 63] = mode; }
void digitalWrite(uint32_t pin, uint32_t value)
{
    /* A clock pulse on a stuck bus lets the device finish its byte and release SDA. */
    for (int b = 0; b < 2; b++) {
        uint32_t scl = b ? PIN_WIRE1_SCL : PIN_WIRE_SCL;
        if (pin == scl && value == LOW && fake.pin_level[pin & 63] == HIGH) {
            fake.scl_pulses[b]++;
            fake.sda_stuck[b] = false;
        }
    }
    fake.pin_level[pin & 63] = value;
}
int digitalRead(uint32_t pin)
{
    if (pin == PIN_WIRE_SDA || pin == PIN_WIRE1_SDA)
        return fake.sda_stuck[pin == PIN_WIRE1_SDA] ? LOW : HIGH;
    if (pin == PIN_WIRE_SCL || pin == PIN_WIRE1_SCL)
        return HIGH;
    return (int)fake.pin_level[pin & 63];
}
void analogSampleTime(uint8_t sTime) { fake.sample_time_us = sTime; }
void NVIC_SystemReset(void)
{
    fake.system_resets++;
    if (fake.gone_armed)
        longjmp(fake.gone, 2);
}
uint32_t analogRead(uint32_t pin) { return pin == PIN_VBAT ? fake.analog_raw : 0; }
void analogReference(eAnalogReference mode) { (void)mode; }
void analogReadResolution(int res) { (void)res; }
void delay(uint32_t ms)
{
    fake.now_us += 1000u * ms;
    if (wdt.RR[0] == 0x6E524635u) { /* a reload request since the last look */
        fake.wdt_feeds++;
        wdt.RR[0] = 0;
    }
    /* Waiting in the refused-sleep loop: after 2 s someone picks the ball up. */
    if (fake.system_off && fake.now_us - fake.off_at_us > 2000000u)
        p0.IN |= 1u << 11;
}
void delayMicroseconds(uint32_t us) { fake.now_us += us; }
unsigned long micros(void) { return (unsigned long)(uint32_t)fake.now_us; }

void Adafruit_USBD_CDC::begin(uint32_t baud) { (void)baud; }
Adafruit_USBD_CDC::operator bool() { return fake.dtr; }
int Adafruit_USBD_CDC::available(void) { return (int)(fake.host_tx_len - fake.host_tx_pos); }
int Adafruit_USBD_CDC::read(void)
{
    return fake.host_tx_pos < fake.host_tx_len ? fake.host_tx[fake.host_tx_pos++] : -1;
}
int Adafruit_USBD_CDC::availableForWrite(void) { return (int)(FAKE_CDC_FIFO - fake.cdc_len); }
size_t Adafruit_USBD_CDC::write(const uint8_t *buffer, size_t size)
{
    size_t n = size < FAKE_CDC_FIFO - fake.cdc_len ? size : FAKE_CDC_FIFO - fake.cdc_len;
    memcpy(fake.cdc_fifo + fake.cdc_len, buffer, n);
    fake.cdc_len += n;
    return n;
}
void Adafruit_USBD_CDC::flush(void) {}

/* ---------------------------------------------------------------------------- Wire */

namespace {
struct Bus {
    uint8_t addr, reg, tx[64], rx[64];
    size_t tx_len, rx_len, rx_pos;
};
Bus buses[2];

Bus &bus_of(const TwoWire *w) { return buses[w == &Wire1 ? 1 : 0]; }

/* The model at an address on a bus, advanced to now; NULL: nobody answers. */
int device(const TwoWire *w, uint8_t addr)
{
    if (w == &Wire && addr == fake.baro_addr) {
        sim_bmp390_advance(&fake.baro, fake.now_us);
        return 1;
    }
    if (w == &Wire1 && addr == LSM6DS3_I2C_ADDR && fake.pin_level[PIN_LSM6DS3TR_C_POWER]) {
        sim_lsm6ds3_advance(&fake.imu, fake.now_us);
        return 2;
    }
    return 0;
}
} // namespace

void TwoWire::begin(void) {}
void TwoWire::end(void) { fake.wire_end[this == &Wire1]++; }
void TwoWire::setClock(uint32_t hz) { (void)hz; }
void TwoWire::beginTransmission(uint8_t address)
{
    Bus &b = bus_of(this);
    b.addr = address;
    b.tx_len = 0;
}
size_t TwoWire::write(uint8_t data) { return write(&data, 1); }
size_t TwoWire::write(const uint8_t *data, size_t quantity)
{
    Bus &b = bus_of(this);
    size_t n = quantity < sizeof b.tx - b.tx_len ? quantity : sizeof b.tx - b.tx_len;
    memcpy(b.tx + b.tx_len, data, n);
    b.tx_len += n;
    return n;
}
uint8_t TwoWire::endTransmission(bool stop_bit)
{
    Bus &b = bus_of(this);
    if (fake.sda_stuck[this == &Wire1])
        return 4; /* bus error: SDA held low */
    int d = device(this, b.addr);
    if (!d)
        return 2; /* address NACK */
    if (b.tx_len == 0)
        return 0;
    b.reg = b.tx[0];
    if (b.tx_len > 1 && stop_bit) {
        if (d == 1)
            sim_bmp390_write(&fake.baro, b.reg, b.tx + 1, (uint16_t)(b.tx_len - 1));
        else
            sim_lsm6ds3_write(&fake.imu, b.reg, b.tx + 1, (uint16_t)(b.tx_len - 1));
    }
    return 0;
}
uint8_t TwoWire::requestFrom(uint8_t address, size_t quantity)
{
    Bus &b = bus_of(this);
    int d = device(this, address);
    if (!d || quantity > sizeof b.rx || fake.sda_stuck[this == &Wire1])
        return 0;
    if (d == 1)
        sim_bmp390_read(&fake.baro, b.reg, b.rx, (uint16_t)quantity);
    else
        sim_lsm6ds3_read(&fake.imu, b.reg, b.rx, (uint16_t)quantity);
    b.rx_len = quantity;
    b.rx_pos = 0;
    return (uint8_t)quantity;
}
int TwoWire::read(void)
{
    Bus &b = bus_of(this);
    return b.rx_pos < b.rx_len ? b.rx[b.rx_pos++] : -1;
}

/* ----------------------------------------------------------------------- Bluefruit */

uint32_t sd_ble_gap_conn_param_update(uint16_t, ble_gap_conn_params_t const *) { return 0; }
uint32_t sd_rand_application_bytes_available_get(uint8_t *p_bytes_available)
{
    *p_bytes_available = 4;
    return 0;
}
uint32_t sd_rand_application_vector_get(uint8_t *p_buff, uint8_t length)
{
    for (uint8_t i = 0; i < length; i++)
        p_buff[i] = (uint8_t)(0xA5 + i);
    return 0;
}
uint32_t sd_power_reset_reason_clr(uint32_t reset_reason_clr_msk)
{
    fake.reset_reason_cleared |= reset_reason_clr_msk;
    return 0;
}
uint32_t sd_power_system_off(void)
{
    fake.system_off++;
    fake.off_at_us = fake.now_us;
    if (!fake.system_off_refused && fake.gone_armed)
        longjmp(fake.gone, 1);
    return 8; /* NRF_ERROR_INVALID_STATE */
}

BLEUuid::BLEUuid(uint8_t const uuid128[16]) { (void)uuid128; }
BLEService::BLEService(BLEUuid uuid) { (void)uuid; }
BLEService::BLEService(void) {}
int BLEService::begin(void) { return 0; }
void BLEService::setPermission(SecureMode_t, SecureMode_t) {}
BLEDfu::BLEDfu(void) {}
int BLEDfu::begin(void) { return 0; }
void BLESecurity::setIOCaps(bool, bool, bool) {}
void BLESecurity::setMITM(bool) {}
bool BLESecurity::setPIN(const char *pin) { return strlen(pin) == 6; }

BLECharacteristic::BLECharacteristic(BLEUuid uuid) { (void)uuid; }
void BLECharacteristic::setProperties(uint8_t prop) { (void)prop; }
void BLECharacteristic::setPermission(SecureMode_t, SecureMode_t) {}
void BLECharacteristic::setMaxLen(uint16_t max_len) { (void)max_len; }
void BLECharacteristic::setWriteCallback(write_cb_t fp, bool)
{
    fake.control_cb = fp;
    fake.control_chr = this;
}
void BLECharacteristic::setCccdWriteCallback(write_cccd_cb_t fp, bool)
{
    fake.cccd_cb = fp;
    fake.stream_chr = this;
}
int BLECharacteristic::begin(void) { return 0; }
bool BLECharacteristic::notify(uint16_t conn_hdl, const void *data, uint16_t len)
{
    (void)conn_hdl;
    fake.notify_calls++;
    if (fake.hvn_in_flight >= fake.hvn_qsize) {
        fake.notify_would_block++; /* Bluefruit would wait up to 100 ms here */
        return false;
    }
    unsigned slot = fake.notify_calls % 64;
    memcpy(fake.notified[slot], data, len);
    fake.notified_len[slot] = len;
    fake.hvn_in_flight++;
    return true;
}

void BLEDis::setManufacturer(const char *) {}
void BLEDis::setModel(const char *) {}
void BLEDis::setFirmwareRev(const char *) {}
int BLEDis::begin(void) { return 0; }
int BLEBas::begin(void) { return 0; }
bool BLEBas::write(uint8_t level) { return level <= 100; }

static BLEConnection connection;
uint16_t BLEConnection::getMtu(void) { return fake.mtu; }
bool BLEConnection::requestDataLengthUpdate(void) { return true; }
bool BLEConnection::requestMtuExchange(uint16_t mtu) { return mtu >= 23; }
bool BLEConnection::requestPHY(uint8_t) { return true; }
bool BLEConnection::secured(void) { return fake.secured; }
bool BLEConnection::bonded(void) { return fake.bonded; }

bool BLEAdvertisingData::addFlags(uint8_t) { return true; }
bool BLEAdvertisingData::addService(BLEService &) { return true; }
bool BLEAdvertisingData::addName(void) { return true; }
void BLEAdvertising::restartOnDisconnect(bool) {}
void BLEAdvertising::setInterval(uint16_t, uint16_t) {}
void BLEAdvertising::setFastTimeout(uint16_t) {}
bool BLEAdvertising::start(uint16_t) { return true; }
bool BLEAdvertising::stop(void) { return true; }

bool BLEPeriph::setConnInterval(uint16_t, uint16_t) { return true; }
bool BLEPeriph::setConnSupervisionTimeout(uint16_t) { return true; }
void BLEPeriph::setConnectCallback(connect_callback_t fp) { fake.connect_cb = fp; }
void BLEPeriph::setDisconnectCallback(disconnect_callback_t fp) { fake.disconnect_cb = fp; }

void AdafruitBluefruit::configPrphBandwidth(uint8_t) {}
void AdafruitBluefruit::configPrphConn(uint16_t, uint16_t, uint8_t hvn_qsize, uint8_t)
{
    fake.hvn_qsize = hvn_qsize;
}
bool AdafruitBluefruit::begin(uint8_t, uint8_t) { return true; }
bool AdafruitBluefruit::setTxPower(int8_t) { return true; }
void AdafruitBluefruit::setName(const char *) {}
void AdafruitBluefruit::autoConnLed(bool) {}
void AdafruitBluefruit::setEventCallback(void (*fp)(ble_evt_t *)) { fake.event_cb = fp; }
BLEConnection *AdafruitBluefruit::Connection(uint16_t conn_hdl)
{
    return fake.connected && conn_hdl == 0 ? &connection : nullptr;
}
