// Stateless block validation: a block is checked and executed against an execution witness
// (trie nodes, codes, ancestor headers) alone, with no access to a state database.
//
// The state comes from sparse tries over the witness nodes, addressed by hash from the parent's
// state root, so every value read is proven against that root. Data the block needs but the
// witness lacks is reported as a missing-data status (missing trie node / code / ancestor
// header), never as "block invalid" and never as a wrong answer.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "../chain/block.hpp"
#include "../state/hash_map.hpp"
#include "../state/state.hpp"
#include "../trie/trie.hpp"

namespace stele::stateless
{
// The witness as views (e.g. into the guest's input buffer or a parsed JSON file).
struct WitnessView
{
    std::span<const bytes_view> state;    // trie node RLPs, any order, duplicates allowed
    std::span<const bytes_view> codes;    // contract codes
    std::span<const bytes_view> headers;  // RLP headers, any order; must include the parent
};

// The witness with owned bytes (what the generator produces).
struct Witness
{
    std::vector<bytes> state;
    std::vector<bytes> codes;
    std::vector<bytes> headers;
};

enum class Status : uint8_t
{
    ok = 0,
    block_invalid,            // the block breaks a rule: see ValidationResult::block_error
    missing_trie_node,        // ValidationResult::missing_hash
    missing_code,             // ValidationResult::missing_hash
    missing_ancestor_header,  // ValidationResult::missing_number
    too_many_headers,         // more than 256 ancestor headers
    invalid_header,           // a witness header does not decode
    invalid_ancestor_chain,   // witness headers do not link by parent hash / number
    parent_mismatch,          // the block's parent is not the last witness header
    invalid_trie_node,        // a witness node on a path does not decode as a trie node
    invalid_account,          // an account leaf does not decode
    signer_mismatch,          // public keys given: count or signature check fails
};

[[nodiscard]] const char* status_name(Status s) noexcept;

// What the validator was doing when it needed data the witness lacks: which account (and
// slot) and which step, so a rejection names the rule that needs the data.
enum class MissingStep : uint8_t
{
    none = 0,
    account_read,    // an account the execution reads
    storage_read,    // a storage slot the execution reads
    code_read,       // the code of an account the execution runs or inspects
    storage_update,  // the post-state root: writing or deleting a slot (insertion path, sibling)
    account_update,  // the post-state root: writing or deleting an account
};

[[nodiscard]] const char* missing_step_name(MissingStep s) noexcept;

struct MissingContext
{
    MissingStep step = MissingStep::none;
    address account;  // valid unless step == none
    bool has_slot = false;
    uint256 slot;  // storage_read / storage_update
    // The spec step that reads it (execution), nullptr for the post-state root and unnamed reads.
    const char* why = nullptr;
};

struct ValidationResult
{
    Status status = Status::ok;
    chain::Error block_error = chain::Error::ok;
    hash256 missing_hash;
    MissingContext missing;  // for missing_trie_node / missing_code / invalid_trie_node
    uint64_t missing_number = 0;
    hash256 block_hash;
    uint64_t gas_used = 0;
    std::vector<bytes> requests;           // Prague+: the EIP-7685 requests execution produced
    std::vector<chain::Receipt> receipts;  // one per transaction, as execution produced them
    bytes block_access_list;               // Amsterdam: the EIP-7928 list execution built (RLP)

    [[nodiscard]] bool ok() const noexcept
    {
        return status == Status::ok;
    }
    // Whether the status is a lack of witness data (not a verdict on the block).
    [[nodiscard]] bool missing_data() const noexcept
    {
        return status == Status::missing_trie_node || status == Status::missing_code ||
               status == Status::missing_ancestor_header;
    }
};

// Uncompressed secp256k1 public key (0x04 || x || y), one per transaction.
using PublicKey = FixedBytes<65>;

struct ValidateOptions
{
    const chain::ChainConfig* config = nullptr;
    const evm::PrecompileTable* precompiles = nullptr;
    // Sender recovery (host library natively, accelerator in the guest). Also used for
    // EIP-7702 authorities.
    chain::RecoverFn recover = nullptr;
    // If use_public_keys: one key per transaction (else signer_mismatch); each transaction's
    // signature is verified against its key (instead of recovered) and the sender is derived
    // from the key (chain::BlockEnv::senders).
    bool use_public_keys = false;
    std::span<const PublicKey> public_keys;
    // Where codes missing from the `codes` list are looked up by hash (a stateful chain store
    // serving its archive); none in the stateless validator, where the witness is all there is.
    trie::NodeSource code_source;
    // Record the storage keys accessed (WitnessDb::track_keys).
    bool track_keys = false;
    // Require the headers ascending as given (execution-specs `stateless.py`: the canonical
    // guest input), instead of sorting them by number first (client witnesses in any order).
    bool headers_in_order = false;
};

// A StateDb over sparse tries: the account trie from a root, one storage trie per account
// (opened lazily from the account's storage root), codes by hash. Writes are buffered and
// applied when the state root is computed: per account, storage updates first and deletions
// after, then account updates first and deletions after (the canonical witness order).
// Missing data sets failure() and reads return empty values: the caller must check failure()
// before trusting any result.
class WitnessDb final : public state::StateDb
{
public:
    WitnessDb(trie::NodeSource nodes, const hash256& state_root);
    ~WitnessDb() override;

    // Codes by hash: the witness `codes` (views must outlive this db).
    void add_code(bytes_view code);
    // Codes not added are looked up here (views must outlive this db); none by default.
    void set_code_source(trie::NodeSource source) noexcept
    {
        m_code_source = source;
    }

    [[nodiscard]] std::optional<state::AccountInfo> account(const address& addr) override;
    [[nodiscard]] uint256 storage(const address& addr, const uint256& key) override;
    [[nodiscard]] bool storage_nonempty(const address& addr) override;
    [[nodiscard]] bytes_view code(const hash256& code_hash) override;
    void read_purpose(const char* why) noexcept override
    {
        m_purpose = why;
    }

    void update_account(
        const address& addr, const state::AccountInfo* info, bool storage_cleared) override;
    void update_storage(const address& addr, const uint256& key, const uint256& value) override;
    void update_code(const hash256& code_hash, bytes_view code) override;
    [[nodiscard]] hash256 state_root() override;

    // The first failure (missing node / code, invalid node); Status::ok if none.
    [[nodiscard]] Status failure() const noexcept
    {
        return m_failure;
    }
    [[nodiscard]] const hash256& failure_hash() const noexcept
    {
        return m_failure_hash;
    }
    [[nodiscard]] const MissingContext& failure_context() const noexcept
    {
        return m_failure_ctx;
    }
    // Hashes of codes served from the pre-state code set (not created in this block), each once.
    [[nodiscard]] const std::vector<hash256>& codes_read() const noexcept
    {
        return m_codes_read;
    }
    // After state_root(): every node of the post-state tries known to this db (the nodes read
    // and the nodes the updates created) and the codes the block deployed, which is what a chain
    // store adds to its archive to serve the post-state. Appends to the vectors.
    [[nodiscard]] trie::Status collect_post_state(
        std::vector<bytes>& nodes, std::vector<bytes_view>& created_codes);
    // Records the storage keys the block reads or writes (off by default: it costs a set
    // insertion per access), for the legacy witness `keys`.
    void track_keys(bool on) noexcept
    {
        m_track_keys = on;
    }
    // The preimages of the trie keys the block accessed: every account address looked up
    // (20 bytes) and, with track_keys, every storage slot read or written (32 bytes).
    void accessed_keys(std::vector<bytes>& out) const;

private:
    struct Entry;
    Entry& entry(const address& addr);
    trie::Trie& storage_trie(Entry& e);
    void fail(Status s, const hash256& h) noexcept;
    void fail_trie(const trie::Status& s) noexcept;
    // The context of the operation in progress (recorded with the first failure).
    void set_context(MissingStep step, const address& a) noexcept
    {
        m_ctx = {step, a, false, {}, m_purpose};
    }
    void set_context(MissingStep step, const address& a, const uint256& slot) noexcept
    {
        m_ctx = {step, a, true, slot, m_purpose};
    }

    trie::NodeSource m_nodes;
    trie::NodeSource m_code_source;
    bool m_track_keys = false;
    trie::Trie m_accounts;
    FlatMap<address, std::unique_ptr<Entry>> m_entries;
    FlatMap<hash256, bytes_view> m_codes;  // witness codes
    FlatMap<hash256, bool> m_code_read;    // codes already in m_codes_read
    std::vector<hash256> m_codes_read;
    FlatMap<hash256, bytes> m_created_codes;  // deployed in this block
    Status m_failure = Status::ok;
    hash256 m_failure_hash;
    MissingContext m_ctx;
    MissingContext m_failure_ctx;
    const char* m_purpose = nullptr;
};

// Ancestor hashes by number, for BLOCKHASH; records the oldest number asked for and a miss.
struct AncestorHashes
{
    std::vector<chain::BlockHeader> headers;  // ascending, contiguous, last = parent
    uint64_t oldest_requested = UINT64_MAX;
    bool missing = false;
    uint64_t missing_number = 0;

    static hash256 lookup(void* self, uint64_t number);
};

// Validates `block` from the witness alone (reference: stateless-witness.md §2.2).
[[nodiscard]] ValidationResult validate(
    chain::Block& block, const WitnessView& witness, const ValidateOptions& options);

// The same over an arbitrary node source and code set (the witness generator runs this over
// the complete pre-state to learn what the block touches). `db_out`, if given, receives the
// database after execution; `ancestors_out` the ancestor map (for the BLOCKHASH range).
[[nodiscard]] ValidationResult validate_with(chain::Block& block,
    std::span<const bytes_view> headers, trie::NodeSource nodes, std::span<const bytes_view> codes,
    const ValidateOptions& options, std::unique_ptr<WitnessDb>* db_out,
    AncestorHashes* ancestors_out);
}  // namespace stele::stateless
