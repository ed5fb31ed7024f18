/* The C encoder against tests/data/golden_frames.vec: each message is built from the
 * vector's fields (never from its bytes) and must match `frame` and `serial` byte for byte.
 * The file's path is the first argument (the Makefile passes it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sb_frame.h"

#define MAX_KEYS 24

typedef struct {
    char key[MAX_KEYS][32];
    char *val[MAX_KEYS];
    int n;
} vec_t;

static const char *g_path;

static const char *get(const vec_t *v, const char *key)
{
    for (int i = 0; i < v->n; i++)
        if (strcmp(v->key[i], key) == 0)
            return v->val[i];
    return NULL;
}

static long num(const vec_t *v, const char *key)
{
    const char *s = get(v, key);
    assert_non_null(s);
    return strtol(s, NULL, 10);
}

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = strlen(s) / 2;
    assert_true(n <= cap);
    for (size_t i = 0; i < n; i++) {
        unsigned b;
        assert_int_equal(sscanf(s + 2 * i, "%2x", &b), 1);
        out[i] = (uint8_t)b;
    }
    return n;
}

/* Comma-separated integers, with ';' also accepted as a separator (x,y,z triples). */
static size_t ints(const char *s, long long *out, size_t cap)
{
    size_t n = 0;
    while (s && *s) {
        assert_true(n < cap);
        char *end;
        out[n++] = strtoll(s, &end, 10);
        s = (*end == ',' || *end == ';') ? end + 1 : end;
        if (*end == '\0')
            break;
    }
    return n;
}

static size_t build_samples(const vec_t *v, uint8_t *out, size_t cap)
{
    uint8_t flags = (uint8_t)num(v, "flags");
    uint8_t ch = flags & SB_CH_ALL;
    long long p[128], g[384], a[384];
    size_t np = ints(get(v, "pressure_cpa"), p, 128);
    size_t ng = ints(get(v, "gyro_raw"), g, 384) / 3;
    size_t na = ints(get(v, "accel_raw"), a, 384) / 3;
    size_t n = (ch & SB_CH_PRESSURE) ? np : (ch & SB_CH_GYRO) ? ng : na;
    uint8_t recs[SB_MAX_FRAME];
    size_t len = 0;
    for (size_t k = 0; k < n; k++) {
        sb_record_t r = {0};
        if (ch & SB_CH_PRESSURE)
            r.pressure_cpa = (uint32_t)p[k];
        for (int i = 0; i < 3; i++) {
            if (ch & SB_CH_GYRO)
                r.gyro[i] = (int16_t)g[3 * k + (size_t)i];
            if (ch & SB_CH_ACCEL)
                r.accel[i] = (int16_t)a[3 * k + (size_t)i];
        }
        len += sb_put_record(recs + len, ch, &r);
    }
    return sb_encode_samples(out, cap, (uint16_t)num(v, "seq"),
                             (uint32_t)strtoul(get(v, "stamp"), NULL, 10), flags,
                             (int16_t)num(v, "temperature_cdeg"), recs, len);
}

static size_t build(const vec_t *v, uint8_t *out, size_t cap)
{
    const char *type = get(v, "type");
    uint16_t seq = (uint16_t)num(v, "seq");
    uint32_t stamp = (uint32_t)strtoul(get(v, "stamp"), NULL, 10);
    uint8_t buf[SB_MAX_FRAME];
    assert_non_null(type);
    if (strcmp(type, "INFO") == 0) {
        sb_info_t info;
        unsigned fw[3];
        assert_int_equal(sscanf(get(v, "firmware"), "%u.%u.%u", &fw[0], &fw[1], &fw[2]), 3);
        for (int i = 0; i < 3; i++)
            info.firmware[i] = (uint8_t)fw[i];
        assert_int_equal(unhex(get(v, "device_id"), info.device_id, 8), 8);
        info.boot_id = (uint32_t)strtoul(get(v, "boot_id"), NULL, 10);
        info.sample_period_us = (uint32_t)strtoul(get(v, "sample_period_us"), NULL, 10);
        info.channels = (uint8_t)num(v, "channels");
        info.gyro_dps_per_lsb = (float)strtod(get(v, "gyro_dps_per_lsb"), NULL);
        info.accel_g_per_lsb = (float)strtod(get(v, "accel_g_per_lsb"), NULL);
        info.ball_diameter_mm = (uint16_t)num(v, "ball_diameter_mm");
        info.name = get(v, "name_text");
        assert_int_equal(num(v, "protocol"), SB_PROTOCOL_VERSION);
        return sb_encode_info(out, cap, seq, stamp, &info);
    }
    if (strcmp(type, "SAMPLES") == 0)
        return build_samples(v, out, cap);
    if (strcmp(type, "STATUS") == 0) {
        sb_status_t st = {(uint16_t)num(v, "battery_mv"), (uint8_t)num(v, "battery_percent"),
                          (uint8_t)num(v, "status_flags"),
                          (uint32_t)strtoul(get(v, "dropped_samples"), NULL, 10)};
        return sb_encode_status(out, cap, seq, stamp, &st);
    }
    if (strcmp(type, "LOG") == 0)
        return sb_encode_log(out, cap, seq, stamp, (uint8_t)num(v, "level"), get(v, "text"));
    if (strcmp(type, "COMMAND") == 0) {
        size_t n = unhex(get(v, "args"), buf, sizeof buf);
        return sb_encode_command(out, cap, seq, stamp, (uint8_t)num(v, "opcode"),
                                 (uint8_t)num(v, "token"), buf, n);
    }
    if (strcmp(type, "REPLY") == 0)
        return sb_encode_reply(out, cap, seq, stamp, (uint8_t)num(v, "opcode"),
                               (uint8_t)num(v, "token"), (uint8_t)num(v, "result"));
    if (strcmp(type, "UNKNOWN") == 0) {
        size_t n = unhex(get(v, "payload"), buf, sizeof buf);
        return sb_encode_raw(out, cap, (uint8_t)num(v, "type_code"), (uint8_t)num(v, "flags"),
                             seq, stamp, buf, n);
    }
    fail_msg("unknown vector type %s", type);
    return 0;
}

static void check_vector(const vec_t *v, int *count)
{
    uint8_t frame[SB_MAX_FRAME], want[SB_SERIAL_MAX], serial[SB_SERIAL_MAX];
    size_t n = build(v, frame, sizeof frame);
    size_t want_n = unhex(get(v, "frame"), want, sizeof want);
    if (n != want_n || memcmp(frame, want, n) != 0)
        fail_msg("%s: frame differs (%zu vs %zu bytes)", get(v, "name"), n, want_n);
    size_t s = sb_serial_wrap(serial, sizeof serial, frame, n);
    want_n = unhex(get(v, "serial"), want, sizeof want);
    if (s != want_n || memcmp(serial, want, s) != 0)
        fail_msg("%s: serial envelope differs", get(v, "name"));

    /* And the receiver gets the frame back out of the envelope. */
    sb_deframer_t d;
    uint8_t back[SB_MAX_FRAME];
    size_t got = 0;
    memset(&d, 0, sizeof d);
    for (size_t i = 0; i < s; i++)
        got = sb_deframer_feed(&d, serial[i], back, sizeof back);
    assert_int_equal(got, n);
    assert_memory_equal(back, frame, n);
    (*count)++;
}

static void test_golden_vectors(void **state)
{
    (void)state;
    FILE *f = fopen(g_path, "r");
    if (!f)
        fail_msg("cannot open %s", g_path);
    static char lines[64][2048];
    vec_t v = {.n = 0};
    int used = 0, count = 0;
    char line[2048];
    for (;;) {
        char *got = fgets(line, sizeof line, f);
        if (got)
            line[strcspn(line, "\r\n")] = '\0';
        if (!got || line[0] == '\0') {
            if (v.n)
                check_vector(&v, &count);
            v.n = 0;
            used = 0;
            if (!got)
                break;
            continue;
        }
        if (line[0] == '#')
            continue;
        char *eq = strchr(line, '=');
        assert_non_null(eq);
        assert_true(v.n < MAX_KEYS && used < 64);
        *eq = '\0';
        assert_true(strlen(line) < sizeof v.key[0]);
        memcpy(v.key[v.n], line, strlen(line) + 1);
        snprintf(lines[used], sizeof lines[used], "%s", eq + 1);
        v.val[v.n++] = lines[used++];
    }
    fclose(f);
    assert_true(count >= 18);
    print_message("%d golden vectors match\n", count);
}

static void test_crc_check_value(void **state)
{
    (void)state;
    assert_int_equal(sb_crc16((const uint8_t *)"123456789", 9), 0x29B1);
}

static void test_long_zero_free_frame_cobs(void **state)
{
    /* 300 non-zero bytes cross a 254-byte COBS block; the deframer must undo it. */
    (void)state;
    uint8_t payload[292], frame[SB_MAX_FRAME], ser[SB_SERIAL_MAX], back[SB_MAX_FRAME];
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(1 + i % 250);
    size_t n = sb_encode_raw(frame, sizeof frame, 0x7F, 1, 0x0101, 0x01010101, payload,
                             sizeof payload);
    size_t s = sb_serial_wrap(ser, sizeof ser, frame, n);
    assert_true(s > n + 3);
    sb_deframer_t d;
    memset(&d, 0, sizeof d);
    size_t got = 0;
    for (size_t i = 0; i < s; i++)
        got = sb_deframer_feed(&d, ser[i], back, sizeof back);
    assert_int_equal(got, n);
    assert_memory_equal(back, frame, n);
    /* A flipped byte costs that frame only, counted as a CRC error. */
    ser[10] ^= 0x01;
    for (size_t i = 0; i < s; i++)
        got = sb_deframer_feed(&d, ser[i], back, sizeof back);
    assert_int_equal(got, 0);
    assert_int_equal(d.crc_errors, 1);
}

static void test_oversize_rejected(void **state)
{
    (void)state;
    uint8_t frame[SB_MAX_FRAME + 16], payload[SB_MAX_FRAME] = {0};
    assert_int_equal(sb_encode_raw(frame, sizeof frame, 1, 0, 0, 0, payload, 505), 0);
    assert_int_equal(sb_encode_raw(frame, sizeof frame, 1, 0, 0, 0, payload, 504), 512);
    assert_int_equal(sb_records_fit(SB_CH_ALL, 69), 3);
    assert_int_equal(sb_records_fit(SB_CH_PRESSURE, 1000), 125);
}

int main(int argc, char **argv)
{
    g_path = argc > 1 ? argv[1] : "../tests/data/golden_frames.vec";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_vectors),
        cmocka_unit_test(test_crc_check_value),
        cmocka_unit_test(test_long_zero_free_frame_cobs),
        cmocka_unit_test(test_oversize_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
