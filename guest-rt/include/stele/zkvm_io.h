/* zkVM IO interface (eth-act/zkvm-standards io-interface, tag v0, plus write_log from PR #27).
 * Written from the standard's text; semantics in guest-rt/ABI.md. */
#ifndef STELE_ZKVM_IO_H
#define STELE_ZKVM_IO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C"
{
#endif

    /* Sets *buf_ptr / *buf_size to the program's private input. Idempotent, cannot fail; the buffer
     * is read-only and lives for the whole run. When *buf_size is 0, *buf_ptr is unspecified. */
    void read_input(const uint8_t** buf_ptr, size_t* buf_size);

    /* Appends size bytes to the public output. The public output is the concatenation of all calls.
     */
    void write_output(const uint8_t* output, size_t size);

    /* UTF-8 diagnostics. Never part of the public output; may be ignored by a prover. */
    void write_log(const uint8_t* utf8_bytes, size_t utf8_len);

/* Failed termination. */
#ifdef __cplusplus
    [[noreturn]] void abort(void) noexcept;
#else
_Noreturn void abort(void);
#endif

#ifdef __cplusplus
}
#endif

#endif
