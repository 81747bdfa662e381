// The guest heap: segregated free lists over a bump region [_heap_start, _heap_end).
//
// Deterministic and allocation-pattern friendly for a single-threaded zkVM program: every
// block is rounded up to a size class (16-byte granules up to 256 bytes, then four classes per
// power of two), freed blocks go to their class list and are reused first, and fresh blocks are
// cut from the bump pointer. Memory is never returned, and running out is a clean abort with a
// message on write_log, never silent corruption.
#include <stele/guest.h>

#include <cstddef>
#include <cstdint>
#include <new>

extern "C"
{
    extern char _heap_start[];
    extern char _heap_end[];
    void* memset(void*, int, size_t);
    void* memcpy(void*, const void*, size_t);
}

namespace
{
constexpr size_t kAlign = 16;
constexpr size_t kSmallLimit = 256;  // classes 0..15: 16, 32, ..., 256
constexpr size_t kNumSmall = kSmallLimit / kAlign;
constexpr size_t kNumClasses = kNumSmall + 4 * 64;  // 4 classes per power of two above

// 16 bytes before every payload: keeps payloads 16-aligned.
struct Header
{
    uint32_t cls;     // size class index
    uint32_t magic;   // detects frees of pointers this heap never returned
    uint64_t offset;  // payload - real payload, non-zero only for over-aligned allocations
};
static_assert(sizeof(Header) == kAlign);
constexpr uint32_t kLive = 0x5EE1A110;
constexpr uint32_t kFree = 0x5EE1F4EE;

struct FreeBlock
{
    FreeBlock* next;
};

FreeBlock* g_free[kNumClasses];
char* g_bump = nullptr;
size_t g_used = 0;

[[gnu::cold, noreturn]] void fail(const char* what, size_t size) noexcept
{
    char msg[96];
    size_t n = 0;
    for (const char* p = what; *p; ++p)
        msg[n++] = *p;
    char digits[24];
    size_t d = 0;
    do
    {
        digits[d++] = static_cast<char>('0' + size % 10);
        size /= 10;
    } while (size);
    while (d)
        msg[n++] = digits[--d];
    msg[n] = '\0';
    stele_panic(msg);
}

// Smallest class whose block size is >= size.
size_t class_of(size_t size) noexcept
{
    if (size <= kSmallLimit)
        return size == 0 ? 0 : (size - 1) / kAlign;
    const unsigned lg = 63 - static_cast<unsigned>(__builtin_clzll(size - 1));  // 2^lg < size
    const size_t quarter = (size - 1 - (size_t{1} << lg)) >> (lg - 2);          // 0..3
    return kNumSmall + 4 * (lg - 8) + quarter;
}

size_t class_size(size_t cls) noexcept
{
    if (cls < kNumSmall)
        return (cls + 1) * kAlign;
    const size_t lg = (cls - kNumSmall) / 4 + 8;
    const size_t quarter = (cls - kNumSmall) % 4;
    return (size_t{1} << lg) + (quarter + 1) * (size_t{1} << (lg - 2));
}

void* allocate(size_t size) noexcept
{
    if (size > static_cast<size_t>(_heap_end - _heap_start))
        fail("guest-rt: out of heap memory, requested bytes: ", size);
    const size_t cls = class_of(size);
    const size_t block = class_size(cls);
    Header* h;
    if (FreeBlock* f = g_free[cls])
    {
        g_free[cls] = f->next;
        h = reinterpret_cast<Header*>(f) - 1;
    }
    else
    {
        if (!g_bump)
            g_bump = _heap_start;
        if (static_cast<size_t>(_heap_end - g_bump) < sizeof(Header) + block)
            fail("guest-rt: out of heap memory, requested bytes: ", size);
        h = reinterpret_cast<Header*>(g_bump);
        g_bump += sizeof(Header) + block;
        h->cls = static_cast<uint32_t>(cls);
    }
    h->magic = kLive;
    h->offset = 0;
    g_used += block;
    return h + 1;
}

Header* header_of(void* p) noexcept
{
    Header* h = static_cast<Header*>(p) - 1;
    if (h->offset != 0)
        h = reinterpret_cast<Header*>(static_cast<char*>(p) - h->offset) - 1;
    if (h->magic != kLive)
        stele_panic(
            h->magic == kFree ? "guest-rt: double free" : "guest-rt: free of a bad pointer");
    return h;
}

void deallocate(void* p) noexcept
{
    if (!p)
        return;
    Header* h = header_of(p);
    h->magic = kFree;
    g_used -= class_size(h->cls);
    auto* f = reinterpret_cast<FreeBlock*>(h + 1);
    f->next = g_free[h->cls];
    g_free[h->cls] = f;
}

void* allocate_aligned(size_t size, size_t align) noexcept
{
    if (align <= kAlign)
        return allocate(size);
    if (align & (align - 1))
        fail("guest-rt: alignment is not a power of two: ", align);
    char* raw = static_cast<char*>(allocate(size + align));
    char* p = reinterpret_cast<char*>(
        (reinterpret_cast<uintptr_t>(raw) + align - 1) & ~(uintptr_t{align} - 1));
    if (p != raw)
    {
        Header* h = reinterpret_cast<Header*>(p) - 1;  // lies inside the raw block
        h->magic = kLive;
        h->offset = static_cast<uint64_t>(p - raw);
    }
    return p;
}
}  // namespace

extern "C"
{
    void* malloc(size_t size)
    {
        return allocate(size);
    }
    void free(void* p)
    {
        deallocate(p);
    }
    void* calloc(size_t n, size_t size)
    {
        if (size && n > SIZE_MAX / size)
            fail("guest-rt: calloc size overflow, count: ", n);
        void* p = allocate(n * size);
        return memset(p, 0, n * size);
    }
    void* realloc(void* p, size_t size)
    {
        if (!p)
            return allocate(size);
        Header* h = header_of(p);
        const size_t capacity =
            class_size(h->cls) -
            static_cast<size_t>(static_cast<char*>(p) - reinterpret_cast<char*>(h + 1));
        if (size <= capacity)
            return p;
        void* q = allocate(size);
        memcpy(q, p, capacity);
        deallocate(p);
        return q;
    }
    void* aligned_alloc(size_t align, size_t size)
    {
        return allocate_aligned(size, align);
    }
    size_t stele_heap_used(void)
    {
        return g_used;
    }
    size_t stele_heap_capacity(void)
    {
        return static_cast<size_t>(_heap_end - _heap_start);
    }
}

void* operator new(size_t size)
{
    return allocate(size);
}
void* operator new[](size_t size)
{
    return allocate(size);
}
void* operator new(size_t size, const std::nothrow_t&) noexcept
{
    return allocate(size);
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept
{
    return allocate(size);
}
void* operator new(size_t size, std::align_val_t align)
{
    return allocate_aligned(size, static_cast<size_t>(align));
}
void* operator new[](size_t size, std::align_val_t align)
{
    return allocate_aligned(size, static_cast<size_t>(align));
}
void operator delete(void* p) noexcept
{
    deallocate(p);
}
void operator delete[](void* p) noexcept
{
    deallocate(p);
}
void operator delete(void* p, size_t) noexcept
{
    deallocate(p);
}
void operator delete[](void* p, size_t) noexcept
{
    deallocate(p);
}
void operator delete(void* p, std::align_val_t) noexcept
{
    deallocate(p);
}
void operator delete[](void* p, std::align_val_t) noexcept
{
    deallocate(p);
}
void operator delete(void* p, size_t, std::align_val_t) noexcept
{
    deallocate(p);
}
void operator delete[](void* p, size_t, std::align_val_t) noexcept
{
    deallocate(p);
}
