/* Intentionally empty.
 * Debian's riscv64 glibc headers are built for lp64d only and ship gnu/stubs-lp64d.h; the
 * libstdc++ headers pull in <features.h>, which asks for the stubs file of the ABI in use.
 * Our guests are lp64 (soft-float) and never link glibc, so the stub list is irrelevant. */
