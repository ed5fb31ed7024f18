/* Host stub of the Adafruit Bluefruit nRF52 API (and the few S140 SoftDevice calls) the
 * XIAO board layer uses (see Arduino.h here). Signatures follow Bluefruit52Lib. */
#ifndef SB_STUB_BLUEFRUIT_H
#define SB_STUB_BLUEFRUIT_H

#include "Arduino.h"

#define BLE_CONN_HANDLE_INVALID 0xFFFF
#define BLE_GAP_PHY_2MBPS 0x02
#define BLE_GATT_HVX_NOTIFICATION 0x01
#define BLE_GAP_ADV_FLAGS_LE_ONLY_GENERAL_DISC_MODE 0x06
#define BANDWIDTH_MAX 4

/* ble.h / ble_gap.h / ble_gatts.h (S140): the event fields the board reads. */
#define BLE_GAP_EVT_CONNECTED 0x10
#define BLE_GAP_EVT_DISCONNECTED 0x11
#define BLE_GATTS_EVT_HVN_TX_COMPLETE 0x57
typedef struct {
    uint16_t evt_id;
    uint16_t evt_len;
} ble_evt_hdr_t;
typedef struct {
    uint8_t count;
} ble_gatts_evt_hvn_tx_complete_t;
typedef struct {
    uint16_t conn_handle;
    union {
        ble_gatts_evt_hvn_tx_complete_t hvn_tx_complete;
    } params;
} ble_gatts_evt_t;
typedef struct {
    ble_evt_hdr_t header;
    union {
        ble_gatts_evt_t gatts_evt;
    } evt;
} ble_evt_t;

typedef struct {
    uint16_t min_conn_interval;
    uint16_t max_conn_interval;
    uint16_t slave_latency;
    uint16_t conn_sup_timeout;
} ble_gap_conn_params_t;

uint32_t sd_ble_gap_conn_param_update(uint16_t conn_handle, ble_gap_conn_params_t const *params);
uint32_t sd_rand_application_bytes_available_get(uint8_t *p_bytes_available);
uint32_t sd_rand_application_vector_get(uint8_t *p_buff, uint8_t length);
uint32_t sd_power_system_off(void);
uint32_t sd_power_reset_reason_clr(uint32_t reset_reason_clr_msk);

enum SecureMode_t {
    SECMODE_NO_ACCESS = 0x00,
    SECMODE_OPEN = 0x11,
    SECMODE_ENC_NO_MITM = 0x21,
    SECMODE_ENC_WITH_MITM = 0x31
};
enum CharsProperties {
    CHR_PROPS_READ = 0x02,
    CHR_PROPS_WRITE_WO_RESP = 0x04,
    CHR_PROPS_WRITE = 0x08,
    CHR_PROPS_NOTIFY = 0x10
};

class BLEUuid {
  public:
    BLEUuid(uint8_t const uuid128[16]);
};

class BLEService {
  public:
    void setPermission(SecureMode_t read_perm, SecureMode_t write_perm);
    BLEService(void);
    BLEService(BLEUuid uuid);
    int begin(void);
};

class BLECharacteristic {
  public:
    typedef void (*write_cb_t)(uint16_t conn_hdl, BLECharacteristic *chr, uint8_t *data,
                               uint16_t len);
    typedef void (*write_cccd_cb_t)(uint16_t conn_hdl, BLECharacteristic *chr, uint16_t value);
    BLECharacteristic(BLEUuid uuid);
    void setProperties(uint8_t prop);
    void setPermission(SecureMode_t read_perm, SecureMode_t write_perm);
    void setMaxLen(uint16_t max_len);
    void setWriteCallback(write_cb_t fp, bool useAdaCallback = true);
    void setCccdWriteCallback(write_cccd_cb_t fp, bool useAdaCallback = true);
    int begin(void);
    bool notify(uint16_t conn_hdl, const void *data, uint16_t len);
};

class BLEDis {
  public:
    void setManufacturer(const char *manufacturer);
    void setModel(const char *model);
    void setFirmwareRev(const char *firmware_rev);
    int begin(void);
};

class BLEBas {
  public:
    int begin(void);
    bool write(uint8_t level);
};

class BLEConnection {
  public:
    bool secured(void);
    bool bonded(void);
    uint16_t getMtu(void);
    bool requestDataLengthUpdate(void);
    bool requestMtuExchange(uint16_t mtu);
    bool requestPHY(uint8_t phy);
};

class BLEAdvertisingData {
  public:
    bool addFlags(uint8_t flags);
    bool addService(BLEService &service);
    bool addName(void);
};

class BLEAdvertising : public BLEAdvertisingData {
  public:
    void restartOnDisconnect(bool enable);
    void setInterval(uint16_t fast, uint16_t slow);
    void setFastTimeout(uint16_t sec);
    bool start(uint16_t timeout = 0);
    bool stop(void);
};

class BLEPeriph {
  public:
    typedef void (*connect_callback_t)(uint16_t conn_hdl);
    typedef void (*disconnect_callback_t)(uint16_t conn_hdl, uint8_t reason);
    bool setConnInterval(uint16_t min, uint16_t max);
    bool setConnSupervisionTimeout(uint16_t timeout);
    void setConnectCallback(connect_callback_t fp);
    void setDisconnectCallback(disconnect_callback_t fp);
};

/* The DFU service (BLEDfu.h), a BLEService. */
class BLEDfu : public BLEService {
  public:
    BLEDfu(void);
    int begin(void);
};

class BLESecurity {
  public:
    void setIOCaps(bool display, bool yes_no, bool keyboard);
    void setMITM(bool enabled);
    bool setPIN(const char *pin);
};

class AdafruitBluefruit {
  public:
    BLESecurity Security;
    BLEAdvertising Advertising;
    BLEAdvertisingData ScanResponse;
    BLEPeriph Periph;
    void configPrphBandwidth(uint8_t bw);
    void configPrphConn(uint16_t mtu_max, uint16_t event_len, uint8_t hvn_qsize, uint8_t wrcmd_qsize);
    bool begin(uint8_t prph_count = 1, uint8_t central_count = 0);
    bool setTxPower(int8_t power);
    void setName(const char *str);
    void autoConnLed(bool enabled);
    void setEventCallback(void (*fp)(ble_evt_t *));
    BLEConnection *Connection(uint16_t conn_hdl);
};
extern AdafruitBluefruit Bluefruit;

#endif
