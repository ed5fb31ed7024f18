/* Frames of the SmartBall wire protocol v1 (shared/spec/protocol.md): header, payload
 * encoders, and the serial envelope COBS(frame || crc16_le) || 0x00.
 * Pure byte work: no I/O, no allocation, no clock. Every encoder returns the number of
 * bytes written, or 0 if the output buffer is too small or an argument is out of range. */
#ifndef SB_FRAME_H
#define SB_FRAME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SB_PROTOCOL_VERSION 1u
#define SB_HEADER_SIZE 8u
#define SB_MAX_FRAME 512u
#define SB_MAX_NAME 20u
/* Worst case of COBS(frame || crc) || 0: one overhead byte per 254 bytes, plus one. */
#define SB_SERIAL_MAX (SB_MAX_FRAME + 2u + (SB_MAX_FRAME + 2u) / 254u + 2u)

enum sb_msg_type {
    SB_MSG_INFO = 0x01,
    SB_MSG_SAMPLES = 0x02,
    SB_MSG_STATUS = 0x03,
    SB_MSG_LOG = 0x04,
    SB_MSG_COMMAND = 0x10,
    SB_MSG_REPLY = 0x11
};

enum sb_channel { SB_CH_PRESSURE = 0x01, SB_CH_GYRO = 0x02, SB_CH_ACCEL = 0x04, SB_CH_ALL = 0x07 };
enum sb_samples_flag { SB_SAMPLES_FIFO_OVERFLOW = 0x40, SB_SAMPLES_SATURATED = 0x80 };
enum sb_status_flag {
    SB_STATUS_CHARGING = 0x01,
    SB_STATUS_PRESSURE_FAULT = 0x02,
    SB_STATUS_IMU_FAULT = 0x04,
    SB_STATUS_BATTERY_LOW = 0x08
};
enum sb_opcode { SB_OP_START = 1, SB_OP_STOP, SB_OP_INFO_REQUEST, SB_OP_IDENTIFY, SB_OP_SLEEP };
enum sb_result { SB_OK = 0, SB_BAD_ARGUMENT = 1, SB_UNSUPPORTED = 2, SB_BUSY = 3 };

typedef struct {
    uint8_t firmware[3];
    uint8_t device_id[8];
    uint32_t boot_id;
    uint32_t sample_period_us;
    uint8_t channels;
    float gyro_dps_per_lsb;
    float accel_g_per_lsb;
    uint16_t ball_diameter_mm;
    const char *name; /* UTF-8, NUL-terminated, at most SB_MAX_NAME bytes */
} sb_info_t;

typedef struct {
    uint16_t battery_mv;
    uint8_t battery_percent; /* 255: unknown */
    uint8_t flags;           /* enum sb_status_flag */
    uint32_t dropped_samples;
} sb_status_t;

/* One sample; only the fields of the frame's channel mask go on the wire. */
typedef struct {
    uint32_t pressure_cpa;
    int16_t gyro[3];
    int16_t accel[3];
} sb_record_t;

uint16_t sb_crc16(const uint8_t *data, size_t len);
size_t sb_record_size(uint8_t channels);
/* Records of `channels` that fit a frame of at most max_frame bytes. */
size_t sb_records_fit(uint8_t channels, size_t max_frame);

/* Appends one record's wire bytes; returns the size written (cap must hold it). */
size_t sb_put_record(uint8_t *out, uint8_t channels, const sb_record_t *rec);

size_t sb_encode_raw(uint8_t *out, size_t cap, uint8_t type, uint8_t flags, uint16_t seq,
                     uint32_t stamp, const uint8_t *payload, size_t payload_len);
size_t sb_encode_info(uint8_t *out, size_t cap, uint16_t seq, uint32_t uptime_ms,
                      const sb_info_t *info);
/* `records` holds n records already in wire layout (sb_put_record) for flags & 7. */
size_t sb_encode_samples(uint8_t *out, size_t cap, uint16_t seq, uint32_t first_index,
                         uint8_t flags, int16_t temperature_cdeg, const uint8_t *records,
                         size_t records_len);
size_t sb_encode_status(uint8_t *out, size_t cap, uint16_t seq, uint32_t uptime_ms,
                        const sb_status_t *st);
size_t sb_encode_log(uint8_t *out, size_t cap, uint16_t seq, uint32_t uptime_ms, uint8_t level,
                     const char *text);
size_t sb_encode_command(uint8_t *out, size_t cap, uint16_t seq, uint32_t uptime_ms,
                         uint8_t opcode, uint8_t token, const uint8_t *args, size_t args_len);
size_t sb_encode_reply(uint8_t *out, size_t cap, uint16_t seq, uint32_t uptime_ms,
                       uint8_t opcode, uint8_t token, uint8_t result);

/* COBS(frame || crc16_le(frame)) || 0x00. */
size_t sb_serial_wrap(uint8_t *out, size_t cap, const uint8_t *frame, size_t len);

/* Incremental receiver of the serial envelope: bytes in, whole checked frames out.
 * Garbage, a bad CRC or an overlong frame costs that frame only and is counted. */
typedef struct {
    uint8_t buf[SB_SERIAL_MAX];
    size_t len;
    uint8_t overflow;
    uint32_t crc_errors;
    uint32_t malformed;
} sb_deframer_t;

void sb_deframer_reset(sb_deframer_t *d);
/* Feeds one byte; returns the length of a complete frame now in `frame` (cap bytes), else 0. */
size_t sb_deframer_feed(sb_deframer_t *d, uint8_t byte, uint8_t *frame, size_t cap);

static inline void sb_put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void sb_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline uint16_t sb_get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t sb_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

#ifdef __cplusplus
}
#endif

#endif
