// C runtime start-up and the C++ ABI pieces a freestanding, exception-free program still needs.
#include <stele/guest.h>

#include "platform.h"

extern "C"
{
    using InitFn = void (*)();
    extern InitFn __preinit_array_start[];
    extern InitFn __preinit_array_end[];
    extern InitFn __init_array_start[];
    extern InitFn __init_array_end[];

    int main();

    // The zkVM halts when main returns, so static destructors never run: registering them is a
    // no-op.
    void* __dso_handle = nullptr;
    int __cxa_atexit(void (*)(void*), void*, void*)
    {
        return 0;
    }
    int atexit(void (*)())
    {
        return 0;
    }

    [[noreturn]] void __cxa_pure_virtual()
    {
        stele_panic("guest-rt: pure virtual function called");
    }

    [[noreturn]] void __stele_start()
    {
        __stele_platform_init();
        for (InitFn* f = __preinit_array_start; f != __preinit_array_end; ++f)
            (*f)();
        for (InitFn* f = __init_array_start; f != __init_array_end; ++f)
            (*f)();
        __stele_platform_exit(main());
    }

    [[noreturn]] void exit(int code) noexcept
    {
        __stele_platform_exit(code);
    }

    [[noreturn]] void abort() noexcept
    {
        __stele_platform_abort("", 0);
    }

    size_t strlen(const char* s);

    void stele_log(const char* message)
    {
        write_log(reinterpret_cast<const uint8_t*>(message), strlen(message));
    }

    [[noreturn]] void stele_panic(const char* message) noexcept
    {
        __stele_platform_abort(message, strlen(message));
    }

    // GCC may emit calls to these for checked operations; a freestanding program has no handler.
    [[noreturn]] void __stack_chk_fail()
    {
        stele_panic("guest-rt: stack smashing detected");
    }
}
