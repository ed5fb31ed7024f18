/* The bare port's serial receive ring: EasyDMA writes each received byte straight into the
 * ring, one byte per transfer, and the UARTE interrupt only keeps count. The UARTE's RXD.PTR
 * is double buffered: it is latched when a transfer starts (RXSTARTED), so the interrupt
 * hands it the slot after the running one, and the ENDRX_STARTRX short starts that transfer
 * in hardware the moment a byte has landed. The loop takes bytes whenever it gets round to it:
 * an I2C FIFO read of several milliseconds no longer loses them. Pure bookkeeping, no
 * registers, so the host tests run it against a model of the UARTE. */
#ifndef SB_RX_RING_H
#define SB_RX_RING_H

#include <stddef.h>
#include <stdint.h>

#define SB_RX_RING 256u

typedef struct {
    uint8_t buf[SB_RX_RING];
    volatile uint32_t head; /* bytes landed (ENDRX count, interrupt) */
    uint32_t tail;          /* bytes taken (loop) */
    uint32_t slot;          /* slot of the transfer after the running one (interrupt) */
    uint32_t overruns;      /* bytes overwritten before the loop took them */
} sb_rx_ring_t;

/* Where the first transfer writes (RXD.PTR before the first STARTRX). */
static inline uint8_t *sb_rx_ring_start(sb_rx_ring_t *r)
{
    r->head = r->tail = r->slot = r->overruns = 0;
    return &r->buf[0];
}

/* Interrupt, ENDRX: the running transfer's byte has landed. */
static inline void sb_rx_ring_endrx(sb_rx_ring_t *r)
{
    r->head = r->head + 1;
}

/* Interrupt, RXSTARTED: the UARTE latched RXD.PTR; returns what to write there next. */
static inline uint8_t *sb_rx_ring_started(sb_rx_ring_t *r)
{
    r->slot = (r->slot + 1) % SB_RX_RING;
    return &r->buf[r->slot];
}

/* Loop: bytes received since the last call, oldest first, at most cap. If the loop fell a
 * whole ring behind, the oldest bytes were overwritten: they are skipped and counted. */
static inline size_t sb_rx_ring_take(sb_rx_ring_t *r, uint8_t *out, size_t cap)
{
    uint32_t head = r->head;
    if (head - r->tail > SB_RX_RING) {
        r->overruns += head - r->tail - SB_RX_RING;
        r->tail = head - SB_RX_RING;
    }
    size_t n = 0;
    while (r->tail != head && n < cap)
        out[n++] = r->buf[r->tail++ % SB_RX_RING];
    return n;
}

#endif
