/* Reset and vector table for the nRF52840 bare-metal image: copy .data, clear .bss, turn
 * on the FPU (the core is built for hard float), run main. */
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
int main(void);
void Reset_Handler(void);
void Default_Handler(void);
void SysTick_Handler(void);
void UARTE0_UART0_IRQHandler(void);

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)

void Reset_Handler(void)
{
    uint32_t *src = &_sidata, *dst = &_sdata;
    while (dst < &_edata)
        *dst++ = *src++;
    for (dst = &_sbss; dst < &_ebss;)
        *dst++ = 0;
    SCB_CPACR |= 0xFu << 20; /* CP10 and CP11 full access */
    __asm volatile("dsb\n isb" ::: "memory");
    (void)main();
    for (;;)
        ;
}

void Default_Handler(void)
{
    for (;;)
        ;
}

/* Cortex-M4 system exceptions, then the nRF52840's 48 peripheral interrupts (PS 7.2
 * "Instantiation"); only UARTE0 (IRQ 2) is used, by the serial receiver. */
__attribute__((section(".isr_vector"), used)) static void (*const vectors[16 + 48])(void) = {
    (void (*)(void))(uintptr_t)&_estack,
    Reset_Handler,
    Default_Handler, /* NMI */
    Default_Handler, /* HardFault */
    Default_Handler, /* MemManage */
    Default_Handler, /* BusFault */
    Default_Handler, /* UsageFault */
    0, 0, 0, 0,
    Default_Handler, /* SVCall */
    Default_Handler, /* DebugMon */
    0,
    Default_Handler, /* PendSV */
    SysTick_Handler,
    Default_Handler, /* 0 POWER_CLOCK */
    Default_Handler, /* 1 RADIO */
    UARTE0_UART0_IRQHandler, /* 2 */
    /* 3..47: unused, and zero entries would jump to address 0 */
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
};
