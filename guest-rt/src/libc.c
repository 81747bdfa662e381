/* The libc subset the engine needs. Exact C semantics at every alignment, including n == 0.
 * Built with -fno-builtin and -fno-tree-loop-distribute-patterns so that the compiler cannot
 * turn these loops back into calls to themselves.
 *
 * Word-at-a-time copies are used only when source and destination share their alignment:
 * misaligned accesses work on a Zicclsm zkVM but are counted and usually cost far more than
 * aligned ones, so byte loops are the safe choice for the mutually misaligned case. */
#include <stddef.h>
#include <stdint.h>

typedef uint64_t word_t;
#define WORD sizeof(word_t)

/* No restrict: memmove also uses this for a forward copy over an overlapping range, which is
 * exact because every word is loaded before the store that could overwrite it. */
static void* copy_forward(void* dst, const void* src, size_t n)
{
    unsigned char* d = (unsigned char*)dst;
    const unsigned char* s = (const unsigned char*)src;
    if ((((uintptr_t)d ^ (uintptr_t)s) & (WORD - 1)) == 0)
    {
        while (n && ((uintptr_t)d & (WORD - 1)))
        {
            *d++ = *s++;
            --n;
        }
        word_t* dw = (word_t*)d;
        const word_t* sw = (const word_t*)s;
        while (n >= 4 * WORD)
        {
            word_t a = sw[0], b = sw[1], c = sw[2], e = sw[3];
            dw[0] = a;
            dw[1] = b;
            dw[2] = c;
            dw[3] = e;
            dw += 4;
            sw += 4;
            n -= 4 * WORD;
        }
        while (n >= WORD)
        {
            *dw++ = *sw++;
            n -= WORD;
        }
        d = (unsigned char*)dw;
        s = (const unsigned char*)sw;
    }
    else if (n >= 2 * WORD)
    {
        /* Differently aligned: align the destination, then build each word from the two
         * aligned source words it straddles (little-endian shifts). Every word loaded holds a
         * byte of the source, so nothing past its pages is touched. */
        while ((uintptr_t)d & (WORD - 1))
        {
            *d++ = *s++;
            --n;
        }
        const unsigned shift = (unsigned)((uintptr_t)s & (WORD - 1)) * 8;
        const word_t* sw = (const word_t*)((uintptr_t)s & ~(uintptr_t)(WORD - 1));
        word_t* dw = (word_t*)d;
        word_t lo = *sw;
        while (n >= WORD)
        {
            const word_t hi = *++sw;
            *dw++ = (lo >> shift) | (hi << (64 - shift));
            lo = hi;
            n -= WORD;
        }
        d = (unsigned char*)dw;
        s = (const unsigned char*)sw + shift / 8;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void* memcpy(void* restrict dst, const void* restrict src, size_t n)
{
    return copy_forward(dst, src, n);
}

void* memmove(void* dst, const void* src, size_t n)
{
    unsigned char* d = (unsigned char*)dst;
    const unsigned char* s = (const unsigned char*)src;
    if (d == s || n == 0)
        return dst;
    if ((uintptr_t)d - (uintptr_t)s >= n) /* no harmful overlap: forward copy is exact */
        return copy_forward(dst, src, n);
    /* d overlaps the tail of s: copy backwards. */
    d += n;
    s += n;
    if ((((uintptr_t)d ^ (uintptr_t)s) & (WORD - 1)) == 0)
    {
        while (n && ((uintptr_t)d & (WORD - 1)))
        {
            *--d = *--s;
            --n;
        }
        word_t* dw = (word_t*)d;
        const word_t* sw = (const word_t*)s;
        while (n >= WORD)
        {
            *--dw = *--sw;
            n -= WORD;
        }
        d = (unsigned char*)dw;
        s = (const unsigned char*)sw;
    }
    while (n--)
        *--d = *--s;
    return dst;
}

void* memset(void* dst, int c, size_t n)
{
    unsigned char* d = (unsigned char*)dst;
    const unsigned char b = (unsigned char)c;
    while (n && ((uintptr_t)d & (WORD - 1)))
    {
        *d++ = b;
        --n;
    }
    const word_t w = (word_t)b * 0x0101010101010101ull;
    word_t* dw = (word_t*)d;
    while (n >= WORD)
    {
        *dw++ = w;
        n -= WORD;
    }
    d = (unsigned char*)dw;
    while (n--)
        *d++ = b;
    return dst;
}

int memcmp(const void* a, const void* b, size_t n)
{
    const unsigned char* x = (const unsigned char*)a;
    const unsigned char* y = (const unsigned char*)b;
    if ((((uintptr_t)x ^ (uintptr_t)y) & (WORD - 1)) == 0)
    {
        while (n && ((uintptr_t)x & (WORD - 1)))
        {
            if (*x != *y)
                return *x - *y;
            ++x;
            ++y;
            --n;
        }
        while (n >= WORD && *(const word_t*)x == *(const word_t*)y)
        {
            x += WORD;
            y += WORD;
            n -= WORD;
        }
    }
    for (; n; --n, ++x, ++y)
        if (*x != *y)
            return *x - *y;
    return 0;
}

void* memchr(const void* s, int c, size_t n)
{
    const unsigned char* p = (const unsigned char*)s;
    for (; n; --n, ++p)
        if (*p == (unsigned char)c)
            return (void*)p;
    return NULL;
}

size_t strlen(const char* s)
{
    const char* p = s;
    while (*p)
        ++p;
    return (size_t)(p - s);
}

size_t strnlen(const char* s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        ++n;
    return n;
}

int strcmp(const char* a, const char* b)
{
    while (*a && *a == *b)
    {
        ++a;
        ++b;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char* a, const char* b, size_t n)
{
    for (; n; --n, ++a, ++b)
    {
        if (*a != *b || !*a)
            return (unsigned char)*a - (unsigned char)*b;
    }
    return 0;
}

char* strchr(const char* s, int c)
{
    for (;; ++s)
    {
        if (*s == (char)c)
            return (char*)s;
        if (!*s)
            return NULL;
    }
}

char* strcpy(char* dst, const char* src)
{
    char* d = dst;
    while ((*d++ = *src++))
        ;
    return dst;
}
