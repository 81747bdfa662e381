/* stelevm backend: the IO API as ecalls (call numbers in stele/stelevm_abi.h, ABI in ABI.md). */
#include <stele/guest.h>
#include <stele/stelevm_abi.h>
#include <stele/zkvm_cost.h>

#include "../../src/platform.h"

size_t strlen(const char*);

static inline long ecall2(long n, long a0, long a1)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(r_a0), "+r"(r_a1) : "r"(r_a7) : "memory");
    return r_a0;
}

void __stele_platform_init(void) {}

void read_input(const uint8_t** buf_ptr, size_t* buf_size)
{
    register long r_a0 __asm__("a0");
    register long r_a1 __asm__("a1");
    register long r_a7 __asm__("a7") = STELEVM_READ_INPUT;
    __asm__ volatile("ecall" : "=r"(r_a0), "=r"(r_a1) : "r"(r_a7) : "memory");
    *buf_ptr = (const uint8_t*)r_a0;
    *buf_size = (size_t)r_a1;
}

void write_output(const uint8_t* output, size_t size)
{
    ecall2(STELEVM_WRITE_OUTPUT, (long)output, (long)size);
}

void write_log(const uint8_t* utf8_bytes, size_t utf8_len)
{
    ecall2(STELEVM_WRITE_LOG, (long)utf8_bytes, (long)utf8_len);
}

void stele_cycle_region_start(const char* name)
{
    ecall2(STELEVM_REGION_START, (long)name, (long)strlen(name));
}

void stele_cycle_region_end(const char* name)
{
    ecall2(STELEVM_REGION_END, (long)name, (long)strlen(name));
}

void zkvm_cost_scope_start(uint8_t id)
{
    ecall2(STELEVM_COST_SCOPE_START, (long)id, 0);
}

void zkvm_cost_scope_end(uint8_t id)
{
    ecall2(STELEVM_COST_SCOPE_END, (long)id, 0);
}

uint64_t stele_cycle_count(void)
{
    return (uint64_t)ecall2(STELEVM_CYCLE_COUNT, 0, 0);
}

_Noreturn void __stele_platform_exit(int code)
{
    ecall2(STELEVM_HALT, code, 0);
    __builtin_unreachable();
}

_Noreturn void __stele_platform_abort(const char* message, size_t size)
{
    ecall2(STELEVM_ABORT, (long)message, (long)size);
    __builtin_unreachable();
}
