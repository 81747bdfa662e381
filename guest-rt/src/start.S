/* Program entry: set up gp and sp from the linker script, then enter C++ (crt.cpp). */
    .section .text.start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax
    lla gp, __global_pointer$
    .option pop
    lla sp, _stack_top
    mv fp, zero          /* a zero frame pointer ends stack walks (profiler, debugger) */
    mv ra, zero
    call __stele_start   /* never returns */
1:  j 1b
    .size _start, . - _start
