// Seeded random RV64IM programs for differential testing (qemu-riscv64 vs stelevm) and
// fuzzing. Each program: registers x1..x30 loaded from random data (biased to edge values),
// a straight run of random instructions (ALU, M, loads and stores of every width at any
// alignment around a page boundary, forward branches and jumps, lui/auipc), then a dump of
// x1..x30 into the data segment, write(1, data, 0x3000) and exit(x5 & 0xFF).
#pragma once

#include <random>

#include "rv_asm.hpp"

namespace stele::test::rv
{
inline std::vector<uint8_t> random_program(uint64_t seed, size_t length = 200)
{
    std::mt19937_64 rng{seed};
    auto pick = [&](uint64_t n) { return rng() % n; };
    static constexpr uint64_t edges[] = {0, 1, 2, ~uint64_t{0}, 0x8000000000000000ull,
        0x7FFFFFFFFFFFFFFFull, 0x80000000ull, 0xFFFFFFFF80000000ull, 0x7FFFFFFFull, 0xFFFFFFFFull,
        31, 32, 63, 64};

    std::vector<uint8_t> data(0x3000);
    for (auto& b : data)
        b = static_cast<uint8_t>(rng());
    for (unsigned i = 1; i <= 30; ++i)
    {
        if (pick(3) == 0)
        {
            const uint64_t v = edges[pick(std::size(edges))];
            std::memcpy(data.data() + 8 * i, &v, 8);
        }
    }

    std::vector<uint32_t> code;
    code.push_back(lui(31, 0x20));  // x31 = 0x20000
    for (unsigned i = 1; i <= 30; ++i)
        code.push_back(ld(i, 31, static_cast<int32_t>(8 * i)));
    code.push_back(lui(31, 0x21));  // x31 = 0x21000: loads/stores reach 0x20800..0x217FF

    // The body is a list of items (one or more words); forward branches and jumps skip whole
    // items, so they never land inside a multi-word item.
    struct Item
    {
        std::vector<uint32_t> words;
        int kind = 0;  // 0 plain, 1 branch (words[0] without offset), 2 jal
        size_t skip = 0;
    };
    std::vector<Item> items;
    auto rd = [&] { return static_cast<uint32_t>(pick(8) == 0 ? 0 : 1 + pick(30)); };
    auto rs = [&] { return static_cast<uint32_t>(pick(32)); };
    for (size_t n = 0; n < length;)
    {
        Item it;
        const uint64_t kind = pick(100);
        if (kind < 40)
        {
            const ROp& op = kROps[pick(std::size(kROps))];
            it.words.push_back(r_type(op.op, op.f3, op.f7, rd(), rs(), rs()));
        }
        else if (kind < 58)
        {
            static constexpr uint32_t f3s[] = {0, 2, 3, 4, 6, 7};
            const auto imm = static_cast<int32_t>(pick(4096)) - 2048;
            const uint64_t form = pick(4);
            if (form == 0)
                it.words.push_back(i_type(0x13, f3s[pick(6)], rd(), rs(), imm));
            else if (form == 1)  // slli / srli / srai
            {
                const uint32_t f3 = pick(2) ? 1 : 5;
                const int32_t hi = (f3 == 5 && pick(2)) ? 0x400 : 0;
                it.words.push_back(
                    i_type(0x13, f3, rd(), rs(), hi | static_cast<int32_t>(pick(64))));
            }
            else if (form == 2)  // addiw
                it.words.push_back(i_type(0x1B, 0, rd(), rs(), imm));
            else  // slliw / srliw / sraiw
            {
                const uint32_t f3 = pick(2) ? 1 : 5;
                const int32_t hi = (f3 == 5 && pick(2)) ? 0x400 : 0;
                it.words.push_back(
                    i_type(0x1B, f3, rd(), rs(), hi | static_cast<int32_t>(pick(32))));
            }
        }
        else if (kind < 72)
        {
            const uint32_t f3 = static_cast<uint32_t>(pick(7));  // lb lh lw ld lbu lhu lwu
            it.words.push_back(i_type(0x03, f3, rd(), 31, static_cast<int32_t>(pick(4089)) - 2048));
        }
        else if (kind < 84)
        {
            const uint32_t f3 = static_cast<uint32_t>(pick(4));
            it.words.push_back(s_type(0x23, f3, 31, rs(), static_cast<int32_t>(pick(4089)) - 2048));
        }
        else if (kind < 92)
        {
            static constexpr uint32_t f3s[] = {0, 1, 4, 5, 6, 7};
            it.kind = 1;
            it.skip = 1 + pick(6);
            it.words.push_back(b_type(f3s[pick(6)], rs(), rs(), 0));
        }
        else if (kind < 95)
        {
            it.kind = 2;
            it.skip = 1 + pick(6);
            it.words.push_back(jal(rd(), 0));
        }
        else if (kind < 97)
        {
            // auipc t, 0; jalr rd, t, 12: jumps over the third word
            const uint32_t t = 1 + static_cast<uint32_t>(pick(30));
            it.words = {auipc(t, 0), jalr(rd(), t, 12), r_type(0x33, 0, 0, rd(), rs(), rs())};
        }
        else
        {
            const auto imm20 = static_cast<uint32_t>(rng());
            it.words.push_back(pick(2) ? lui(rd(), imm20) : auipc(rd(), imm20));
        }
        n += it.words.size();
        items.push_back(std::move(it));
    }
    std::vector<size_t> start(items.size() + 1, code.size());
    for (size_t i = 0; i < items.size(); ++i)
        start[i + 1] = start[i] + items[i].words.size();
    for (size_t i = 0; i < items.size(); ++i)
    {
        Item& it = items[i];
        if (it.kind != 0)
        {
            const size_t target = start[std::min(items.size(), i + 1 + it.skip)];
            const auto off = static_cast<int32_t>(4 * (target - start[i]));
            const uint32_t w = it.words[0];
            it.words[0] = it.kind == 1 ? b_type((w >> 12) & 7, (w >> 15) & 31, (w >> 20) & 31, off)
                                       : jal((w >> 7) & 31, off);
        }
        code.insert(code.end(), it.words.begin(), it.words.end());
    }

    code.push_back(lui(31, 0x20));
    for (unsigned i = 1; i <= 30; ++i)
        code.push_back(sd(i, 31, static_cast<int32_t>(8 * i)));
    code.push_back(addi(10, 0, 1));
    code.push_back(lui(11, 0x20));
    code.push_back(lui(12, 0x3));
    code.push_back(addi(17, 0, 64));
    code.push_back(kEcall);
    code.push_back(ld(10, 31, 8 * 5));
    code.push_back(i_type(0x13, 7, 10, 10, 0xFF));
    code.push_back(addi(17, 0, 93));
    code.push_back(kEcall);
    return program(code, std::move(data));
}
}  // namespace stele::test::rv
