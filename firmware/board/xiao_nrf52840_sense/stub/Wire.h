/* Host stub of the Arduino Wire API the XIAO board layer uses (see Arduino.h here). */
#ifndef SB_STUB_WIRE_H
#define SB_STUB_WIRE_H

#include "Arduino.h"

class TwoWire {
  public:
    void begin(void);
    void end(void);
    void setClock(uint32_t hz);
    void beginTransmission(uint8_t address);
    size_t write(uint8_t data);
    size_t write(const uint8_t *data, size_t quantity);
    uint8_t endTransmission(bool stop_bit = true);
    uint8_t requestFrom(uint8_t address, size_t quantity);
    int read(void);
};
extern TwoWire Wire;
extern TwoWire Wire1;

#endif
