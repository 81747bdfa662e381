/* libstele_validator: what the validator calls beyond the zkVM standards, defined here so that
 * the archive links against any standard vendor library (which provides _start, read_input,
 * write_output, abort, the zkvm_accelerators.h functions and, optionally, memcpy / memmove /
 * memset / memcmp). Every definition in the archive's runtime members is weak
 * (make_archive.cmake runs objcopy --weaken), so a vendor's own definition always wins:
 *  - write_log (zkvm-standards PR #27, not yet standard): dropped;
 *  - stele_log / stele_panic: stele_panic logs and calls the standard abort();
 *  - cycle regions and cost scopes (stelevm extensions): no-ops;
 *  - the C++ ABI hooks a vendor _start may or may not provide: static destructors never run
 *    (the zkVM halts when main returns), so registering one is a no-op. */
#include <stddef.h>
#include <stdint.h>

size_t strlen(const char* s);
_Noreturn void abort(void);

void write_log(const uint8_t* utf8_bytes, size_t utf8_len)
{
    (void)utf8_bytes;
    (void)utf8_len;
}

void stele_log(const char* message)
{
    write_log((const uint8_t*)message, strlen(message));
}

_Noreturn void stele_panic(const char* message)
{
    stele_log(message);
    abort();
}

void stele_cycle_region_start(const char* name)
{
    (void)name;
}

void stele_cycle_region_end(const char* name)
{
    (void)name;
}

uint64_t stele_cycle_count(void)
{
    return 0;
}

void zkvm_cost_scope_start(uint8_t id)
{
    (void)id;
}

void zkvm_cost_scope_end(uint8_t id)
{
    (void)id;
}

void* __dso_handle = 0;

int __cxa_atexit(void (*fn)(void*), void* arg, void* dso)
{
    (void)fn;
    (void)arg;
    (void)dso;
    return 0;
}

int atexit(void (*fn)(void))
{
    (void)fn;
    return 0;
}

_Noreturn void __cxa_pure_virtual(void)
{
    stele_panic("libstele_validator: pure virtual function called");
}
