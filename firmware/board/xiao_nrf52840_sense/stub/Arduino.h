/* Host stub: exactly the Arduino (Seeed nRF52 core) API the XIAO board layer uses, so that
 * `make board` compiles it on a machine without the core. Declarations only: nothing here
 * runs. Keep signatures identical to the real ones; add a declaration only when the board
 * file starts using it. */
#ifndef SB_STUB_ARDUINO_H
#define SB_STUB_ARDUINO_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HIGH 0x1
#define LOW 0x0
#define INPUT 0x0
#define OUTPUT 0x1
#define INPUT_PULLUP 0x2
#define OUTPUT_S0D1 0x6 /* standard 0, disconnect 1: open drain */

/* Seeed XIAO nRF52840 Sense variant (variant.h) pin numbers. */
#define LED_BLUE 12
#define PIN_VBAT 32
#define VBAT_ENABLE 14
#define PIN_CHARGING_CURRENT 22
#define PIN_LSM6DS3TR_C_POWER 15
#define PIN_WIRE_SDA 4
#define PIN_WIRE_SCL 5
#define PIN_WIRE1_SDA 17
#define PIN_WIRE1_SCL 16

enum eAnalogReference { AR_DEFAULT, AR_INTERNAL, AR_INTERNAL_3_0, AR_INTERNAL_2_4 };

void pinMode(uint32_t pin, uint32_t mode);
void digitalWrite(uint32_t pin, uint32_t value);
int digitalRead(uint32_t pin);
uint32_t analogRead(uint32_t pin);
void analogSampleTime(uint8_t sTime);
void analogReference(eAnalogReference mode);
void analogReadResolution(int res);
void delay(uint32_t ms);
void delayMicroseconds(uint32_t us);
unsigned long micros(void);

/* nrf.h: the registers the board uses directly (the fields it touches, not the layout). */
typedef struct {
    volatile uint32_t DEVICEID[2];
    volatile uint32_t ER[4];
} NRF_FICR_Type;
typedef struct {
    volatile uint32_t IN;
    volatile uint32_t PIN_CNF[32];
} NRF_GPIO_Type;
typedef struct {
    volatile uint32_t RESETREAS;
} NRF_POWER_Type;
typedef struct {
    volatile uint32_t TASKS_START;
    volatile uint32_t CRV;
    volatile uint32_t RREN;
    volatile uint32_t CONFIG;
    volatile uint32_t RR[8];
} NRF_WDT_Type;
extern NRF_FICR_Type *NRF_FICR;
extern NRF_GPIO_Type *NRF_P0;
extern NRF_GPIO_Type *NRF_P1;
extern NRF_POWER_Type *NRF_POWER;
extern NRF_WDT_Type *NRF_WDT;
/* core_cm4.h */
void NVIC_SystemReset(void);

/* nrf52840_bitfields.h: GPIO PIN_CNF fields (values as in the Product Specification). */
#define GPIO_PIN_CNF_DIR_Pos 0
#define GPIO_PIN_CNF_DIR_Input 0UL
#define GPIO_PIN_CNF_DIR_Output 1UL
#define GPIO_PIN_CNF_INPUT_Pos 1
#define GPIO_PIN_CNF_INPUT_Connect 0UL
#define GPIO_PIN_CNF_INPUT_Disconnect 1UL
#define GPIO_PIN_CNF_PULL_Pos 2
#define GPIO_PIN_CNF_PULL_Pulldown 1UL
#define GPIO_PIN_CNF_PULL_Pullup 3UL
#define GPIO_PIN_CNF_DRIVE_Pos 8
#define GPIO_PIN_CNF_DRIVE_H0H1 3UL
#define GPIO_PIN_CNF_SENSE_Pos 16
#define GPIO_PIN_CNF_SENSE_High 2UL

/* Adafruit_USBD_CDC, the USB serial port. */
class Adafruit_USBD_CDC {
  public:
    void begin(uint32_t baud);
    explicit operator bool();
    int available(void);
    int read(void);
    int availableForWrite(void);
    size_t write(const uint8_t *buffer, size_t size);
    void flush(void);
};
extern Adafruit_USBD_CDC Serial;

#endif
