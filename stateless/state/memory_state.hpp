// The whole world state in memory: the backend of the stateful path (spec runner, benches).
// Copyable, so a caller can snapshot it before a block and restore it when the block is invalid.
#pragma once

#include "state.hpp"

namespace stele::state
{
class InMemoryState final : public StateDb
{
public:
    struct Entry
    {
        AccountInfo info;
        FlatMap<uint256, uint256> storage;  // zero values are deleted slots
        hash256 storage_root;
        bool storage_root_valid = false;
        bool alive = false;
    };

    [[nodiscard]] std::optional<AccountInfo> account(const address& addr) override;
    [[nodiscard]] uint256 storage(const address& addr, const uint256& key) override;
    [[nodiscard]] bool storage_nonempty(const address& addr) override;
    [[nodiscard]] bytes_view code(const hash256& code_hash) override;

    void update_account(
        const address& addr, const AccountInfo* info, bool storage_cleared) override;
    void update_storage(const address& addr, const uint256& key, const uint256& value) override;
    void update_code(const hash256& code_hash, bytes_view code) override;
    [[nodiscard]] hash256 state_root() override;

    // Visits every live account.
    template <typename F>
    void for_each(F&& f) const
    {
        m_accounts.for_each(
            [&](const address& a, const Entry& e)
            {
                if (e.alive)
                    f(a, e);
            });
    }
    [[nodiscard]] const Entry* find(const address& addr) const noexcept
    {
        const Entry* e = m_accounts.find(addr);
        return e && e->alive ? e : nullptr;
    }

private:
    FlatMap<address, Entry> m_accounts;
    FlatMap<hash256, bytes> m_codes;
};
}  // namespace stele::state
