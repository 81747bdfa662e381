#include "memory.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>

namespace stele::emu
{
namespace
{
// One spare page past 4 GiB: a slow-path access may run up to 7 bytes over the end before its
// range check rejects it, and nothing must read past the mapping meanwhile.
constexpr uint64_t kMapSize = Memory::kSpace + Memory::kPageSize;
}  // namespace

Memory::Memory(Memory&& o) noexcept
    : m_base(o.m_base),
      m_perm(o.m_perm),
      m_regions(std::move(o.m_regions)),
      m_unaligned(o.m_unaligned),
      m_touched(o.m_touched),
      m_limit_pages(o.m_limit_pages)
{
    o.m_base = nullptr;
    o.m_perm = nullptr;
}

Memory& Memory::operator=(Memory&& o) noexcept
{
    if (this != &o)
    {
        this->~Memory();
        new (this) Memory(std::move(o));
    }
    return *this;
}

Memory::~Memory()
{
    if (m_base)
        munmap(m_base, kMapSize);
    if (m_perm)
        munmap(m_perm, kPages);
}

bool Memory::reserve(uint64_t max_touched_bytes)
{
    void* p = mmap(nullptr, kMapSize, PROT_READ | PROT_WRITE,
        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return false;
    m_base = static_cast<uint8_t*>(p);
    void* perm = mmap(nullptr, kPages, PROT_READ | PROT_WRITE,
        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (perm == MAP_FAILED)
        return false;
    m_perm = static_cast<uint8_t*>(perm);
    m_limit_pages = max_touched_bytes / kPageSize + (max_touched_bytes % kPageSize != 0);
    return true;
}

void Memory::add_region(
    uint64_t begin, uint64_t end, bool read, bool write, std::span<const uint8_t> bytes)
{
    m_regions.push_back({begin, end, read, write});
    if (!bytes.empty())
        std::memcpy(m_base + begin, bytes.data(), std::min<uint64_t>(bytes.size(), end - begin));
    // Pages holding initial bytes are resident already: they count as touched.
    if (!bytes.empty())
    {
        const uint64_t last = begin + std::min<uint64_t>(bytes.size(), end - begin) - 1;
        for (uint64_t p = begin >> kPageBits; p <= last >> kPageBits; ++p)
        {
            m_touched += (m_perm[p] & kTouched) == 0;
            m_perm[p] |= kTouched;
        }
    }
}

void Memory::finalize()
{
    std::sort(m_regions.begin(), m_regions.end(),
        [](const Region& a, const Region& b) { return a.begin < b.begin; });
    // A page gets fast-path bits when exactly one region touches it. A segment's partial first
    // or last page is then accessible up to the page boundary (zero bytes), as under a Linux
    // loader; pages shared by two regions are checked byte by byte (kMixed). Regions are sorted
    // and disjoint, so only a first or last page can be shared, with a neighbour.
    for (size_t i = 0; i < m_regions.size(); ++i)
    {
        const Region& r = m_regions[i];
        const uint64_t first = r.begin >> kPageBits, last = (r.end - 1) >> kPageBits;
        const bool shared_first = i > 0 && ((m_regions[i - 1].end - 1) >> kPageBits) == first;
        const bool shared_last =
            i + 1 < m_regions.size() && (m_regions[i + 1].begin >> kPageBits) == last;
        for (uint64_t p = first; p <= last; ++p)
        {
            uint8_t bits = m_perm[p] & kTouched;
            if ((p == first && shared_first) || (p == last && shared_last))
                bits |= kMixed;
            else
            {
                if (r.read)
                    bits |= kRead;
                if (r.write)
                    bits |= (bits & kTouched) ? kWrite : kWritable;
            }
            m_perm[p] = bits;
        }
    }
}

const Memory::Region* Memory::region_of(uint64_t addr) const noexcept
{
    auto it = std::upper_bound(m_regions.begin(), m_regions.end(), addr,
        [](uint64_t a, const Region& r) { return a < r.begin; });
    if (it == m_regions.begin())
        return nullptr;
    --it;
    return addr < it->end ? &*it : nullptr;
}

Memory::Access Memory::check(uint64_t addr, uint64_t size, bool write) noexcept
{
    if (size == 0)
        return Access::Ok;
    if (addr >= kSpace || size > kSpace - addr)
        return Access::Fault;
    const uint64_t end = addr + size;
    for (uint64_t a = addr; a < end;)
    {
        const uint64_t page = a >> kPageBits;
        const uint64_t page_end = std::min(end, (page + 1) << kPageBits);
        uint8_t& bits = m_perm[page];
        if (bits & kMixed)
        {
            // Every byte of [a, page_end) must lie in regions with the permission.
            for (uint64_t b = a; b < page_end;)
            {
                const Region* r = region_of(b);
                if (!r || !(write ? r->write : r->read))
                    return Access::Fault;
                b = std::min(page_end, r->end);
            }
        }
        else if (!(write ? (bits & (kWrite | kWritable)) : (bits & kRead)))
            return Access::Fault;
        if (write && !(bits & kTouched))
        {
            if (m_touched + 1 > m_limit_pages)
                return Access::Limit;
            ++m_touched;
            bits |= kTouched;
            if (bits & kWritable)
                bits = static_cast<uint8_t>((bits & ~kWritable) | kWrite);
        }
        a = page_end;
    }
    return Access::Ok;
}

Memory::Access Memory::load_slow(uint64_t addr, unsigned size, uint64_t& value) noexcept
{
    if (const Access a = check(addr, size, false); a != Access::Ok)
        return a;
    m_unaligned += (addr & (size - 1)) != 0;
    uint64_t v = 0;
    std::memcpy(&v, m_base + addr, size);
    value = v;
    return Access::Ok;
}

Memory::Access Memory::store_slow(uint64_t addr, unsigned size, uint64_t value) noexcept
{
    if (const Access a = check(addr, size, true); a != Access::Ok)
        return a;
    m_unaligned += (addr & (size - 1)) != 0;
    std::memcpy(m_base + addr, &value, size);
    return Access::Ok;
}

Memory::Access Memory::check_read(uint64_t addr, uint64_t size) noexcept
{
    return check(addr, size, false);
}

Memory::Access Memory::check_write(uint64_t addr, uint64_t size) noexcept
{
    return check(addr, size, true);
}

Memory::Access Memory::read(uint64_t addr, std::span<uint8_t> out) noexcept
{
    if (const Access a = check(addr, out.size(), false); a != Access::Ok)
        return a;
    if (!out.empty())
        std::memcpy(out.data(), m_base + addr, out.size());
    return Access::Ok;
}

Memory::Access Memory::write(uint64_t addr, std::span<const uint8_t> in) noexcept
{
    if (const Access a = check(addr, in.size(), true); a != Access::Ok)
        return a;
    if (!in.empty())
        std::memcpy(m_base + addr, in.data(), in.size());
    return Access::Ok;
}
}  // namespace stele::emu
