// Guest memory: one flat 4 GiB host reservation (mmap MAP_NORESERVE, so the 2 GiB heap segment
// costs nothing until touched) plus a permission byte per 4 KiB page.
//
// The interpreter's fast path is: aligned, below 4 GiB, and the page's permission bit set; then
// one host load or store. Permissions are per page: the partial first or last page of a segment
// is accessible to its end (zero-filled, as a Linux loader maps it), unless another segment
// shares the page; then that page is checked per byte against the segments. Everything else
// (misaligned accesses, pages shared by two segments or partly unmapped, the first write to a page)
// takes the slow path here, which also keeps the statistics: misaligned accesses and touched pages
// (the memory limit counts touched pages).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace stele::emu
{
class Memory
{
public:
    static constexpr unsigned kPageBits = 12;
    static constexpr uint64_t kPageSize = uint64_t{1} << kPageBits;
    static constexpr uint64_t kSpace = uint64_t{1} << 32;
    static constexpr uint64_t kPages = kSpace >> kPageBits;

    // Page permission bits. Fast paths test kRead / kWrite only.
    static constexpr uint8_t kRead = 1;
    static constexpr uint8_t kWrite = 2;     // writable and already touched
    static constexpr uint8_t kWritable = 4;  // writable, not yet touched (first store: slow path)
    static constexpr uint8_t kMixed = 8;     // several regions or a hole: check by region
    static constexpr uint8_t kTouched = 16;

    enum class Access : uint8_t
    {
        Ok,
        Fault,
        Limit,  // the store would exceed the touched-page limit
    };

    struct Region
    {
        uint64_t begin;
        uint64_t end;
        bool read;
        bool write;
    };

    Memory() = default;
    Memory(const Memory&) = delete;
    Memory& operator=(const Memory&) = delete;
    Memory(Memory&& o) noexcept;
    Memory& operator=(Memory&& o) noexcept;
    ~Memory();

    // Reserves the address space. max_touched_bytes is the memory limit (rounded up to pages).
    [[nodiscard]] bool reserve(uint64_t max_touched_bytes);

    // Maps [begin, end) with the given permissions and initial bytes (the rest reads as zero).
    // Regions must not overlap (the ELF loader guarantees it). Call finalize() after the last.
    void add_region(
        uint64_t begin, uint64_t end, bool read, bool write, std::span<const uint8_t> bytes);
    void finalize();

    [[nodiscard]] uint8_t* base() const noexcept
    {
        return m_base;
    }
    [[nodiscard]] const uint8_t* perms() const noexcept
    {
        return m_perm;
    }

    // Slow paths of the interpreter's loads and stores (size 1, 2, 4 or 8).
    [[nodiscard]] Access load_slow(uint64_t addr, unsigned size, uint64_t& value) noexcept;
    [[nodiscard]] Access store_slow(uint64_t addr, unsigned size, uint64_t value) noexcept;

    // Bulk access for ecalls and accelerators: the whole range must be readable / writable.
    [[nodiscard]] Access read(uint64_t addr, std::span<uint8_t> out) noexcept;
    [[nodiscard]] Access write(uint64_t addr, std::span<const uint8_t> in) noexcept;
    [[nodiscard]] Access check_read(uint64_t addr, uint64_t size) noexcept;
    // Like write() without writing: the pages count as touched from here on.
    [[nodiscard]] Access check_write(uint64_t addr, uint64_t size) noexcept;

    [[nodiscard]] uint64_t unaligned_accesses() const noexcept
    {
        return m_unaligned;
    }
    [[nodiscard]] uint64_t touched_pages() const noexcept
    {
        return m_touched;
    }
    [[nodiscard]] uint64_t limit_pages() const noexcept
    {
        return m_limit_pages;
    }
    [[nodiscard]] bool over_limit() const noexcept
    {
        return m_touched > m_limit_pages;
    }

private:
    [[nodiscard]] Access check(uint64_t addr, uint64_t size, bool write) noexcept;
    [[nodiscard]] const Region* region_of(uint64_t addr) const noexcept;

    uint8_t* m_base = nullptr;
    // One byte per page of the 4 GiB space (1 MiB), mapped like the space itself: its pages are
    // zero until a permission on them is set, so a machine costs no 1 MiB memset and no page
    // faults for the parts of the address space it never maps (a fuzzer makes thousands).
    uint8_t* m_perm = nullptr;
    std::vector<Region> m_regions;
    uint64_t m_unaligned = 0;
    uint64_t m_touched = 0;
    uint64_t m_limit_pages = 0;
};
}  // namespace stele::emu
