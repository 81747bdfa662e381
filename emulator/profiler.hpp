// Function-level cycle profile from the ELF symbol table: a call tree built from the calls and
// returns the interpreter observes (JAL/JALR linking ra or t0 = call, JALR x0, 0(ra|t0) =
// return, a jump with no link to a function's first instruction = tail call). Cycles between two
// such events belong to the function on top. Exact, not sampled.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "elf.hpp"

namespace stele::emu
{
struct FunctionCycles
{
    std::string name;
    uint64_t inclusive = 0;  // cycles inside the function and its callees (recursion counted once)
    uint64_t exclusive = 0;  // cycles in its own instructions
    uint64_t calls = 0;
};

class Profiler
{
public:
    // The call tree is host memory the guest shapes: beyond this many distinct stacks, calls into
    // new stacks are charged to the caller (like calls deeper than kMaxDepth) and truncated() says
    // so. Names are cut at kMaxName bytes, which bounds the folded export to
    // kMaxNodes * kMaxDepth * kMaxName bytes in the worst case.
    static constexpr uint32_t kMaxNodes = uint32_t{1} << 18;
    static constexpr size_t kMaxName = 512;
    Profiler() = default;
    void start(const std::vector<Symbol>& functions, uint64_t entry_pc);

    void on_call(uint64_t now, uint64_t target);
    void on_return(uint64_t now);
    void on_jump(uint64_t now, uint64_t target);  // a jump without link: a tail call if to a start
    void finish(uint64_t now);

    // Whether kMaxNodes cut the call tree (the cycles are all counted, some in callers).
    [[nodiscard]] bool truncated() const noexcept
    {
        return m_truncated;
    }
    // Sorted by inclusive cycles, descending.
    [[nodiscard]] std::vector<FunctionCycles> functions() const;
    // One line per distinct stack with its own cycles: "f1;f2;f3 cycles" (flamegraph.pl, inferno,
    // speedscope all read it).
    [[nodiscard]] std::string folded() const;
    // The speedscope file format (https://www.speedscope.app/file-format-schema.json).
    [[nodiscard]] std::string speedscope(const std::string& name) const;
    // The same within a size bound: false (and out incomplete) when the export would be larger.
    [[nodiscard]] bool folded(std::string& out, uint64_t max_bytes) const;
    [[nodiscard]] bool speedscope(
        std::string& out, const std::string& name, uint64_t max_bytes) const;

private:
    struct Node
    {
        int32_t fn;  // index into m_names
        uint32_t parent;
        uint64_t self = 0;
        uint64_t calls = 0;
        std::vector<uint32_t> children;
    };
    static constexpr unsigned kMaxDepth = 256;
    static constexpr uint32_t kNoNode = UINT32_MAX;

    [[nodiscard]] int32_t function_of(uint64_t pc) const;
    [[nodiscard]] bool is_function_start(uint64_t pc) const;
    uint32_t child(uint32_t parent, int32_t fn);
    void charge(uint64_t now);
    [[nodiscard]] std::vector<uint32_t> path(uint32_t node) const;

    const std::vector<Symbol>* m_functions = nullptr;
    std::vector<std::string> m_names;  // functions' names, then "[unknown]"
    std::vector<Node> m_nodes;         // 0 = root
    uint32_t m_current = 0;
    uint32_t m_depth = 0;
    uint32_t m_overflow = 0;  // calls deeper than kMaxDepth, charged to the deepest frame
    uint64_t m_last = 0;
    bool m_truncated = false;
};
}  // namespace stele::emu
