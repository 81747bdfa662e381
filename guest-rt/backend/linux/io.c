/* linux backend: the IO API over Linux system calls, so that qemu-riscv64 (or a RISC-V Linux
 * machine) runs the very same program: input = all of stdin, output = stdout, log = stderr. */
#include <stele/guest.h>
#include <stele/zkvm_cost.h>

#include "../../src/platform.h"

enum
{
    SYS_read = 63,
    SYS_write = 64,
    SYS_exit_group = 94,
};

/* Exit status of an aborted run, as a shell reports SIGABRT; distinct from main's codes. */
#define ABORT_EXIT_CODE 134

size_t strlen(const char*);
void* realloc(void*, size_t);

static inline long syscall3(long n, long a0, long a1, long a2)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
    return r_a0;
}

static void write_all(int fd, const uint8_t* p, size_t n)
{
    while (n)
    {
        long w = syscall3(SYS_write, fd, (long)p, (long)n);
        if (w == -4 /* EINTR */)
            continue;
        if (w <= 0)
            __stele_platform_exit(ABORT_EXIT_CODE); /* a lost output must not look like success */
        p += w;
        n -= (size_t)w;
    }
}

static const uint8_t* g_input;
static size_t g_input_size;
static int g_input_read;

void __stele_platform_init(void) {}

void read_input(const uint8_t** buf_ptr, size_t* buf_size)
{
    if (!g_input_read)
    {
        size_t cap = 0, n = 0;
        uint8_t* buf = 0;
        for (;;)
        {
            if (n == cap)
            {
                cap = cap ? cap * 2 : 65536;
                buf = (uint8_t*)realloc(buf, cap);
            }
            long r = syscall3(SYS_read, 0, (long)(buf + n), (long)(cap - n));
            if (r == -4 /* EINTR */)
                continue;
            if (r < 0)
                stele_panic("guest-rt: reading the input from stdin failed");
            if (r == 0)
                break;
            n += (size_t)r;
        }
        g_input = buf;
        g_input_size = n;
        g_input_read = 1;
    }
    *buf_ptr = g_input;
    *buf_size = g_input_size;
}

void write_output(const uint8_t* output, size_t size)
{
    write_all(1, output, size);
}

void write_log(const uint8_t* utf8_bytes, size_t utf8_len)
{
    write_all(2, utf8_bytes, utf8_len);
}

void stele_cycle_region_start(const char* name)
{
    (void)name;
}
void stele_cycle_region_end(const char* name)
{
    (void)name;
}
void zkvm_cost_scope_start(uint8_t id)
{
    (void)id;
}
void zkvm_cost_scope_end(uint8_t id)
{
    (void)id;
}
uint64_t stele_cycle_count(void)
{
    return 0;
}

_Noreturn void __stele_platform_exit(int code)
{
    for (;;)
        syscall3(SYS_exit_group, code, 0, 0);
}

_Noreturn void __stele_platform_abort(const char* message, size_t size)
{
    static const char prefix[] = "abort: ";
    write_all(2, (const uint8_t*)prefix, sizeof(prefix) - 1);
    write_all(2, (const uint8_t*)message, size);
    write_all(2, (const uint8_t*)"\n", 1);
    __stele_platform_exit(ABORT_EXIT_CODE);
}
