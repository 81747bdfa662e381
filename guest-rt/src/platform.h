/* The seam between the portable runtime and a platform backend (stelevm or linux). */
#ifndef STELE_GUEST_RT_PLATFORM_H
#define STELE_GUEST_RT_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C"
{
#endif

/* Terminates the program with the exit code (0 = success). */
#ifdef __cplusplus
    [[noreturn]] void __stele_platform_exit(int code) noexcept;
    [[noreturn]] void __stele_platform_abort(const char* message, size_t size) noexcept;
#else
_Noreturn void __stele_platform_exit(int code);
_Noreturn void __stele_platform_abort(const char* message, size_t size);
#endif

    /* Called once before static constructors. */
    void __stele_platform_init(void);

#ifdef __cplusplus
}
#endif

#endif
