/* Frame encoders and the serial envelope; see sb_frame.h. */
#include "sb_frame.h"

#include <string.h>

uint16_t sb_crc16(const uint8_t *data, size_t len)
{
    /* CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor. */
    uint16_t crc = 0xFFFFu;
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint16_t)(data[i] << 8);
        for (int b = 0; b < 8; b++)
            crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
    }
    return crc;
}

size_t sb_record_size(uint8_t channels)
{
    return ((channels & SB_CH_PRESSURE) ? 4u : 0u) + ((channels & SB_CH_GYRO) ? 6u : 0u) +
           ((channels & SB_CH_ACCEL) ? 6u : 0u);
}

size_t sb_records_fit(uint8_t channels, size_t max_frame)
{
    size_t size = sb_record_size(channels);
    if (max_frame > SB_MAX_FRAME)
        max_frame = SB_MAX_FRAME;
    if (size == 0 || max_frame < SB_HEADER_SIZE + 2u)
        return 0;
    return (max_frame - SB_HEADER_SIZE - 2u) / size;
}

size_t sb_put_record(uint8_t *out, uint8_t channels, const sb_record_t *rec)
{
    size_t n = 0;
    if (channels & SB_CH_PRESSURE) {
        sb_put_u32(out, rec->pressure_cpa);
        n += 4;
    }
    if (channels & SB_CH_GYRO) {
        for (int i = 0; i < 3; i++, n += 2)
            sb_put_u16(out + n, (uint16_t)rec->gyro[i]);
    }
    if (channels & SB_CH_ACCEL) {
        for (int i = 0; i < 3; i++, n += 2)
            sb_put_u16(out + n, (uint16_t)rec->accel[i]);
    }
    return n;
}

static size_t header(uint8_t *out, size_t cap, size_t payload_len, uint8_t type, uint8_t flags,
                     uint16_t seq, uint32_t stamp)
{
    size_t total = SB_HEADER_SIZE + payload_len;
    if (total > SB_MAX_FRAME || total > cap)
        return 0;
    out[0] = type;
    out[1] = flags;
    sb_put_u16(out + 2, seq);
    sb_put_u32(out + 4, stamp);
    return total;
}

size_t sb_encode_raw(uint8_t *out, size_t cap, uint8_t type, uint8_t flags, uint16_t seq,
                     uint32_t stamp, const uint8_t *payload, size_t payload_len)
{
    size_t total = header(out, cap, payload_len, type, flags, seq, stamp);
    if (total && payload_len)
        memmove(out + SB_HEADER_SIZE, payload, payload_len);
    return total;
}

size_t sb_encode_info(uint8_t *out, size_t cap, uint16_t seq, uint32_t uptime_ms,
                      const sb_info_t *info)
{
    size_t name_len = info->name ? strlen(info->name) : 0;
    if (name_len > SB_MAX_NAME)
        return 0;
    size_t total = header(out, cap, 33u + name_len, SB_MSG_INFO, 0, seq, uptime_ms);
    if (!total)
        return 0;
    uint8_t *p = out + SB_HEADER_SIZE;
    uint32_t bits;
    p[0] = SB_PROTOCOL_VERSION;
    memcpy(p + 1, info->firmware, 3);
    memcpy(p + 4, info->device_id, 8);
    sb_put_u32(p + 12, info->boot_id);
    sb_put_u32(p + 16, info->sample_period_us);
    p[20] = info->channels;
    p[21] = 0;
    memcpy(&bits, &info->gyro_dps_per_lsb, 4);
    sb_put_u32(p + 22, bits);
    memcpy(&bits, &info->accel_g_per_lsb, 4);
    sb_put_u32(p + 26, bits);
    sb_put_u16(p + 30, info->ball_diameter_mm);
    p[32] = (uint8_t)name_len;
    if (name_len)
        memcpy(p + 33, info->name, name_len);
    return total;
}

size_t sb_encode_samples(uint8_t *out, size_t cap, uint16_t seq, uint32_t first_index,
                         uint8_t flags, int16_t temperature_cdeg, const uint8_t *records,
                         size_t records_len)
{
    size_t size = sb_record_size(flags & SB_CH_ALL);
    if (size == 0 || records_len == 0 || records_len % size)
        return 0;
    size_t total = header(out, cap, 2u + records_len, SB_MSG_SAMPLES, flags, seq, first_index);
    if (!total)
        return 0;
    sb_put_u16(out + SB_HEADER_SIZE, (uint16_t)temperature_cdeg);
    memcpy(out + SB_HEADER_SIZE + 2, records, records_len);
    return total;
}

size_t sb_encode_status(uint8_t *out, size_t cap, uint16_t seq, uint32_t uptime_ms,
                        const sb_status_t *st)
{
    size_t total = header(out, cap, 8, SB_MSG_STATUS, 0, seq, uptime_ms);
    if (!total)
        return 0;
    uint8_t *p = out + SB_HEADER_SIZE;
    sb_put_u16(p, st->battery_mv);
    p[2] = st->battery_percent;
    p[3] = st->flags;
    sb_put_u32(p + 4, st->dropped_samples);
    return total;
}

size_t sb_encode_log(uint8_t *out, size_t cap, uint16_t seq, uint32_t uptime_ms, uint8_t level,
                     const char *text)
{
    size_t len = strlen(text);
    size_t total = header(out, cap, 1u + len, SB_MSG_LOG, 0, seq, uptime_ms);
    if (!total)
        return 0;
    out[SB_HEADER_SIZE] = level;
    memcpy(out + SB_HEADER_SIZE + 1, text, len);
    return total;
}

size_t sb_encode_command(uint8_t *out, size_t cap, uint16_t seq, uint32_t uptime_ms,
                         uint8_t opcode, uint8_t token, const uint8_t *args, size_t args_len)
{
    size_t total = header(out, cap, 2u + args_len, SB_MSG_COMMAND, 0, seq, uptime_ms);
    if (!total)
        return 0;
    out[SB_HEADER_SIZE] = opcode;
    out[SB_HEADER_SIZE + 1] = token;
    if (args_len)
        memcpy(out + SB_HEADER_SIZE + 2, args, args_len);
    return total;
}

size_t sb_encode_reply(uint8_t *out, size_t cap, uint16_t seq, uint32_t uptime_ms,
                       uint8_t opcode, uint8_t token, uint8_t result)
{
    size_t total = header(out, cap, 3, SB_MSG_REPLY, 0, seq, uptime_ms);
    if (!total)
        return 0;
    out[SB_HEADER_SIZE] = opcode;
    out[SB_HEADER_SIZE + 1] = token;
    out[SB_HEADER_SIZE + 2] = result;
    return total;
}

size_t sb_serial_wrap(uint8_t *out, size_t cap, const uint8_t *frame, size_t len)
{
    uint16_t crc = sb_crc16(frame, len);
    size_t n = len + 2u;
    if (cap < n + n / 254u + 2u)
        return 0;
    /* COBS over frame || crc without copying: a block closes at a zero byte or after 254
     * non-zero bytes; no empty block is opened after a full one at the very end. */
    size_t o = 1, code_at = 0;
    uint8_t code = 1;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = i < len ? frame[i] : (uint8_t)(i == len ? crc : crc >> 8);
        if (b == 0) {
            out[code_at] = code;
            code_at = o++;
            code = 1;
        } else {
            out[o++] = b;
            if (++code == 0xFF && i + 1 < n) {
                out[code_at] = code;
                code_at = o++;
                code = 1;
            }
        }
    }
    out[code_at] = code;
    out[o++] = 0;
    return o;
}

void sb_deframer_reset(sb_deframer_t *d)
{
    d->len = 0;
    d->overflow = 0;
}

static size_t cobs_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t code = in[i++];
        if (code == 0 || i + code - 1u > n || o + code - 1u > cap)
            return 0;
        memcpy(out + o, in + i, code - 1u);
        o += code - 1u;
        i += code - 1u;
        if (code != 0xFF && i < n) {
            if (o >= cap)
                return 0;
            out[o++] = 0;
        }
    }
    return o;
}

size_t sb_deframer_feed(sb_deframer_t *d, uint8_t byte, uint8_t *frame, size_t cap)
{
    if (byte != 0) {
        if (d->len < sizeof d->buf)
            d->buf[d->len++] = byte;
        else
            d->overflow = 1;
        return 0;
    }
    size_t enc = d->len, overflow = d->overflow;
    sb_deframer_reset(d);
    if (enc == 0)
        return 0; /* back-to-back delimiters: nothing lost */
    if (overflow) {
        d->malformed++;
        return 0;
    }
    size_t n = cobs_decode(d->buf, enc, frame, cap);
    if (n < SB_HEADER_SIZE + 2u) {
        d->malformed++;
        return 0;
    }
    if (sb_crc16(frame, n - 2u) != sb_get_u16(frame + n - 2u)) {
        d->crc_errors++;
        return 0;
    }
    return n - 2u;
}
