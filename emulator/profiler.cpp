#include "profiler.hpp"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>

#include "text.hpp"

namespace stele::emu
{
namespace
{
std::string demangle(const std::string& name)
{
    int status = 0;
    char* d = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
    if (status != 0 || !d)
        return name;
    std::string out{d};
    std::free(d);
    return out;
}
}  // namespace

void Profiler::start(const std::vector<Symbol>& functions, uint64_t entry_pc)
{
    m_functions = &functions;
    m_names.clear();
    // Symbol names are bytes from the ELF: escaped once here, so the table, the folded stacks
    // (one stack per line) and the speedscope JSON are all valid UTF-8 without control characters.
    for (const Symbol& s : functions)
    {
        std::string name = printable(demangle(s.name));
        if (name.size() > kMaxName)
            name = name.substr(0, kMaxName) + "...";
        m_names.push_back(std::move(name));
    }
    m_names.push_back("[unknown]");
    m_nodes.clear();
    m_nodes.push_back(Node{-1, 0, 0, 0, {}});
    m_current = child(0, function_of(entry_pc));
    m_nodes[m_current].calls = 1;
    m_depth = 1;
    m_overflow = 0;
    m_last = 0;
    m_truncated = false;
}

int32_t Profiler::function_of(uint64_t pc) const
{
    const auto& f = *m_functions;
    auto it = std::upper_bound(
        f.begin(), f.end(), pc, [](uint64_t a, const Symbol& s) { return a < s.value; });
    if (it != f.begin())
    {
        --it;
        if (pc - it->value < it->size)
            return static_cast<int32_t>(it - f.begin());
    }
    return static_cast<int32_t>(f.size());  // [unknown]
}

bool Profiler::is_function_start(uint64_t pc) const
{
    const auto& f = *m_functions;
    return std::binary_search(f.begin(), f.end(), Symbol{{}, pc, 0},
        [](const Symbol& a, const Symbol& b) { return a.value < b.value; });
}

uint32_t Profiler::child(uint32_t parent, int32_t fn)
{
    for (uint32_t c : m_nodes[parent].children)
        if (m_nodes[c].fn == fn)
            return c;
    if (m_nodes.size() >= kMaxNodes)
    {
        m_truncated = true;
        return kNoNode;
    }
    const auto id = static_cast<uint32_t>(m_nodes.size());
    m_nodes.push_back(Node{fn, parent, 0, 0, {}});
    m_nodes[parent].children.push_back(id);
    return id;
}

void Profiler::charge(uint64_t now)
{
    m_nodes[m_current].self += now - m_last;
    m_last = now;
}

void Profiler::on_call(uint64_t now, uint64_t target)
{
    charge(now);
    const uint32_t next = m_depth >= kMaxDepth ? kNoNode : child(m_current, function_of(target));
    if (next == kNoNode)
    {
        ++m_overflow;
        return;
    }
    m_current = next;
    ++m_nodes[m_current].calls;
    ++m_depth;
}

void Profiler::on_return(uint64_t now)
{
    charge(now);
    if (m_overflow > 0)
    {
        --m_overflow;
        return;
    }
    if (m_depth > 1)
    {
        m_current = m_nodes[m_current].parent;
        --m_depth;
    }
}

void Profiler::on_jump(uint64_t now, uint64_t target)
{
    if (m_overflow > 0 || !is_function_start(target))
        return;
    const int32_t fn = function_of(target);
    if (fn == m_nodes[m_current].fn)
        return;  // a loop back to our own start (self tail recursion) stays in the frame
    charge(now);
    const uint32_t next = child(m_nodes[m_current].parent, fn);
    if (next == kNoNode)
        return;  // stays charged to the current frame
    m_current = next;
    ++m_nodes[m_current].calls;
}

void Profiler::finish(uint64_t now)
{
    charge(now);
}

std::vector<uint32_t> Profiler::path(uint32_t node) const
{
    std::vector<uint32_t> p;
    for (uint32_t n = node; n != 0; n = m_nodes[n].parent)
        p.push_back(n);
    std::reverse(p.begin(), p.end());
    return p;
}

std::vector<FunctionCycles> Profiler::functions() const
{
    std::vector<FunctionCycles> out(m_names.size());
    for (size_t i = 0; i < m_names.size(); ++i)
        out[i].name = m_names[i];
    if (m_nodes.empty())
        return {};
    // Subtree totals: children always have larger ids than their parent.
    std::vector<uint64_t> total(m_nodes.size());
    for (size_t i = m_nodes.size(); i-- > 0;)
    {
        total[i] += m_nodes[i].self;
        if (i != 0)
            total[m_nodes[i].parent] += total[i];
    }
    // Inclusive: count a subtree only at the outermost activation of its function.
    std::vector<uint32_t> active(m_names.size(), 0);
    struct Frame
    {
        uint32_t node;
        size_t next_child;
    };
    std::vector<Frame> stack{{0, 0}};
    while (!stack.empty())
    {
        Frame& f = stack.back();
        const Node& n = m_nodes[f.node];
        if (f.next_child == 0 && f.node != 0)
        {
            auto& fc = out[static_cast<size_t>(n.fn)];
            if (active[static_cast<size_t>(n.fn)]++ == 0)
                fc.inclusive += total[f.node];
            fc.exclusive += n.self;
            fc.calls += n.calls;
        }
        if (f.next_child < n.children.size())
        {
            const uint32_t c = n.children[f.next_child++];
            stack.push_back({c, 0});
            continue;
        }
        if (f.node != 0)
            --active[static_cast<size_t>(n.fn)];
        stack.pop_back();
    }
    std::erase_if(out, [](const FunctionCycles& f) { return f.inclusive == 0 && f.calls == 0; });
    std::stable_sort(out.begin(), out.end(),
        [](const FunctionCycles& a, const FunctionCycles& b) {
            return a.inclusive != b.inclusive ? a.inclusive > b.inclusive
                                              : a.exclusive > b.exclusive;
        });
    return out;
}

std::string Profiler::folded() const
{
    std::string s;
    (void)folded(s, UINT64_MAX);
    return s;
}

std::string Profiler::speedscope(const std::string& name) const
{
    std::string s;
    (void)speedscope(s, name, UINT64_MAX);
    return s;
}

bool Profiler::folded(std::string& s, uint64_t max_bytes) const
{
    s.clear();
    for (uint32_t i = 1; i < m_nodes.size(); ++i)
    {
        if (s.size() > max_bytes)
            return false;
        if (m_nodes[i].self == 0)
            continue;
        bool first = true;
        for (uint32_t n : path(i))
        {
            if (!first)
                s += ';';
            first = false;
            s += m_names[static_cast<size_t>(m_nodes[n].fn)];
        }
        s += ' ';
        s += std::to_string(m_nodes[i].self);
        s += '\n';
    }
    return s.size() <= max_bytes;
}

namespace
{
std::string json_string(const std::string& v)
{
    std::string s = "\"";
    for (const char c : valid_utf8(v))
    {
        if (c == '"' || c == '\\')
        {
            s += '\\';
            s += c;
        }
        else if (static_cast<unsigned char>(c) < 0x20)
        {
            static constexpr char hex[] = "0123456789abcdef";
            s += "\\u00";
            s += hex[(c >> 4) & 0xF];
            s += hex[c & 0xF];
        }
        else
            s += c;
    }
    return s + "\"";
}
}  // namespace

bool Profiler::speedscope(std::string& out, const std::string& name, uint64_t max_bytes) const
{
    out.clear();
    std::string frames;
    for (size_t i = 0; i < m_names.size(); ++i)
    {
        if (i != 0)
            frames += ',';
        frames += "{\"name\":";
        frames += json_string(m_names[i]);
        frames += '}';
    }
    std::string samples, weights;
    uint64_t total = 0;
    for (uint32_t i = 1; i < m_nodes.size(); ++i)
    {
        if (frames.size() + samples.size() + weights.size() > max_bytes)
            return false;
        if (m_nodes[i].self == 0)
            continue;
        if (!weights.empty())
        {
            samples += ',';
            weights += ',';
        }
        samples += '[';
        bool first = true;
        for (uint32_t n : path(i))
        {
            if (!first)
                samples += ',';
            first = false;
            samples += std::to_string(m_nodes[n].fn);
        }
        samples += ']';
        weights += std::to_string(m_nodes[i].self);
        total += m_nodes[i].self;
    }
    out =
        "{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\","
        "\"shared\":{\"frames\":[" +
        frames + "]},\"profiles\":[{\"type\":\"sampled\",\"name\":" + json_string(name) +
        ",\"unit\":\"none\",\"startValue\":0,\"endValue\":" + std::to_string(total) +
        ",\"samples\":[" + samples + "],\"weights\":[" + weights +
        "]}],\"name\":" + json_string(name) + ",\"exporter\":\"stelevm\"}\n";
    return out.size() <= max_bytes;
}
}  // namespace stele::emu
