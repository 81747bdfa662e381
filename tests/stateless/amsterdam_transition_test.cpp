// A chain that crosses Osaka → Amsterdam at a timestamp. No such fixture is shipped (the zkevm
// fixtures are Amsterdam from genesis), so this test builds one with our own tooling: the
// pre-state and the two signed transactions of the zkevm test
// `test_witness_codes_create_then_call_same_block`, re-blocked as
//   block 1, Osaka (timestamp 14,988): tx 1, a CREATE;
//   block 2, Amsterdam (timestamp 15,000, the fork's first block): tx 2, a call of the created
//            contract, plus a withdrawal (block access index n + 1);
//   block 3, Amsterdam: empty.
// chain::seal_block fills each header from the execution (it is self-consistent by
// construction: what this proves is the switch itself, not absolute gas numbers, which the
// zkevm fixtures pin). The chain is written as an EEST blockchain test with network
// `OsakaToAmsterdamAtTime15k` and must then pass:
//  * `stele spec run --mode stateless` (stateful import with every check, generated witness,
//    stateless validation from block + witness);
//  * `stele chain import` into an LMDB store, whose witness of the first Amsterdam block
//    (`stele witness generate --datadir`) `stele validate` accepts;
//  * the stateless program on inputs built from each block and its generated witness (Osaka
//    payload for block 1, Amsterdam for blocks 2 and 3), on the host and through the
//    accelerated validator ELF in stelevm, with the same bytes.
// And the fork boundary is enforced: an Amsterdam header under Osaka rules, or an Osaka one at
// the Amsterdam timestamp, is INCORRECT_BLOCK_FORMAT.
#include <gtest/gtest.h>

#include <common/paths.hpp>
#include <common/process.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stateless/chain/block.hpp>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/core/rlp.hpp>
#include <stateless/crypto/secp256k1.hpp>
#include <stateless/crypto/sha256.hpp>
#include <stateless/evm/precompiles.hpp>
#include <stateless/state/memory_state.hpp>
#include <stateless/trie/trie.hpp>
#include <stateless/validate/guest_program.hpp>
#include <stateless/validate/payload.hpp>
#include <stateless/validate/witness_builder.hpp>

using namespace stele;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace
{
constexpr uint64_t kForkTime = 15000;

bytes hex(const std::string& s)
{
    auto b = from_hex(std::string_view{s}.substr(s.starts_with("0x") ? 2 : 0));
    return b.value_or(bytes{});
}
uint256 quantity(const std::string& s)
{
    const bytes b = hex(s);
    return load_be(b.data(), b.size());
}
template <size_t N>
FixedBytes<N> fixed(const std::string& s)
{
    FixedBytes<N> f;
    const bytes b = hex(s);
    if (b.size() == N)
        std::memcpy(f.bytes, b.data(), N);
    return f;
}

hash256 block_hash_of(void* ctx, uint64_t number)
{
    const auto& hs = *static_cast<std::vector<chain::BlockHeader>*>(ctx);
    return number < hs.size() ? hs[number].hash : hash256{};
}

void load_pre(const json& pre, state::InMemoryState& db)
{
    for (const auto& [a, acc] : pre.items())
    {
        state::AccountInfo info;
        info.nonce = quantity(acc.at("nonce").get<std::string>()).w[0];
        info.balance = quantity(acc.at("balance").get<std::string>());
        const bytes code = hex(acc.at("code").get<std::string>());
        if (!code.empty())
        {
            info.code_hash = keccak256(code);
            db.update_code(info.code_hash, code);
        }
        const address addr = fixed<20>(a);
        db.update_account(addr, &info, false);
        for (const auto& [k, v] : acc.at("storage").items())
            db.update_storage(addr, quantity(k), quantity(v.get<std::string>()));
    }
}

chain::ChainConfig transition_config()
{
    chain::ChainConfig c;
    c.chain_id = 1;
    c.schedule = {{Fork::Osaka, false, 0, {6, 9, 5007716}},
        {Fork::Amsterdam, true, kForkTime, {14, 21, 11684671}}};
    return c;
}

// The execution environment of the transition chain (ancestors from `headers`).
chain::BlockEnv transition_env(std::vector<chain::BlockHeader>& headers)
{
    static const chain::ChainConfig config = transition_config();
    static const evm::PrecompileTable precompiles = evm::default_precompiles();
    chain::BlockEnv env;
    env.config = &config;
    env.precompiles = &precompiles;
    env.recover = crypto::recover_signer;
    env.block_hash = block_hash_of;
    env.block_hash_ctx = &headers;
    return env;
}

struct Chain
{
    json fixture;
    std::vector<chain::Block> blocks;                   // 1..3
    std::vector<chain::BlockHeader> headers;            // 0..3
    std::vector<state::InMemoryState> states;           // after block 0..3
    std::vector<std::vector<bytes>> requests_of_block;  // 1..3
};

Chain build_chain()
{
    Chain ch;
    const fs::path src = fs::path{test::fixture_dir("zkevm")} /
                         "blockchain_tests_zkevm/for_amsterdam/amsterdam/eip8025_optional_proofs/"
                         "witness_bytecodes_contract_creation/"
                         "witness_codes_create_then_call_same_block.json";
    std::ifstream in{src};
    EXPECT_TRUE(in.good()) << src;
    const json doc = json::parse(in);
    const json& t = doc.begin().value();
    const json& gh = t.at("genesisBlockHeader");
    const bytes block_rlp = hex(t.at("blocks")[0].at("rlp").get<std::string>());
    chain::Block source;
    EXPECT_EQ(chain::decode_block(block_rlp, source), chain::Error::ok);
    EXPECT_EQ(source.transactions.size(), 2u);

    state::InMemoryState db;
    load_pre(t.at("pre"), db);
    // The genesis as an Osaka header: the fixture's without the two Amsterdam fields.
    chain::BlockHeader g;
    {
        // genesisRLP is the whole genesis block.
        chain::Block gb;
        EXPECT_EQ(
            chain::decode_block(hex(t.at("genesisRLP").get<std::string>()), gb), chain::Error::ok);
        g = gb.header;
    }
    g.block_access_list_hash.reset();
    g.slot_number.reset();
    g.state_root = db.state_root();
    EXPECT_EQ(g.state_root, fixed<32>(gh.at("stateRoot").get<std::string>()));
    g.hash = keccak256(chain::encode_header(g));
    ch.headers.push_back(g);
    ch.states.push_back(db);

    const chain::BlockEnv env = transition_env(ch.headers);

    const auto seal = [&](uint64_t timestamp, std::vector<chain::Transaction> txs,
                          std::vector<chain::Withdrawal> ws)
    {
        chain::Block b;
        b.header.coinbase = source.header.coinbase;
        b.header.gas_limit = g.gas_limit;
        b.header.timestamp = timestamp;
        b.header.mix_hash = source.header.mix_hash;
        b.transactions = std::move(txs);
        b.withdrawals = std::move(ws);
        chain::BlockOutcome out = chain::seal_block(db, env, ch.headers.back(), b);
        EXPECT_EQ(out.error, chain::Error::ok) << chain::error_name(out.error);
        b.encoded_size = stateless::encode_block(b).size();
        ch.headers.push_back(b.header);
        ch.blocks.push_back(b);
        ch.states.push_back(db);
        ch.requests_of_block.push_back(out.requests);
    };
    chain::Withdrawal w;
    w.index = 0;
    w.validator = 7;
    w.addr = fixed<20>("0x00000000000000000000000000000000000c0ffe");
    w.amount_gwei = 1;
    {
        bytes enc;
        rlp::Encoder e{enc};
        const size_t m = e.begin_list();
        e.u64(w.index).u64(w.validator).string(w.addr).u64(w.amount_gwei);
        e.end_list(m);
        w.encoded = enc;
    }
    seal(kForkTime - 12, {source.transactions[0]}, {});
    seal(kForkTime, {source.transactions[1]}, {w});
    seal(kForkTime + 12, {}, {});

    // The EEST form.
    json f;
    f["network"] = "OsakaToAmsterdamAtTime15k";
    f["config"] = {{"chainid", "0x01"},
        {"blobSchedule", {{"Osaka", {{"target", "0x06"}, {"max", "0x09"},
                                        {"baseFeeUpdateFraction", "0x4c6964"}}},
                             {"Amsterdam", {{"target", "0x0e"}, {"max", "0x15"},
                                               {"baseFeeUpdateFraction", "0xb24b3f"}}}}}};
    f["pre"] = t.at("pre");
    f["genesisRLP"] = to_hex0x(chain::encode_header(g));
    f["blocks"] = json::array();
    for (const chain::Block& b : ch.blocks)
        f["blocks"].push_back({{"rlp", to_hex0x(stateless::encode_block(b))},
            {"blockHeader", {{"hash", to_hex0x(b.header.hash)}}}});
    f["lastblockhash"] = to_hex0x(ch.headers.back().hash);
    f["postStateHash"] = to_hex0x(ch.headers.back().state_root);
    f["sealEngine"] = "NoProof";
    ch.fixture["stele_osaka_to_amsterdam_transition"] = f;
    return ch;
}

// Block i (1-based) as a guest input, with its generated witness.
bytes guest_input(Chain& ch, size_t i, stateless::Fork fork)
{
    static const chain::ChainConfig config = transition_config();
    static const evm::PrecompileTable precompiles = evm::default_precompiles();
    stateless::ValidateOptions vo;
    vo.config = &config;
    vo.precompiles = &precompiles;
    vo.recover = crypto::recover_signer;
    state::InMemoryState pre = ch.states[i - 1];
    const std::span<const chain::BlockHeader> ancestors{ch.headers.data(), i};
    const stateless::WitnessBuildResult gen =
        stateless::build_witness(pre, ancestors, ch.blocks[i - 1], vo);
    EXPECT_TRUE(gen.verdict.ok()) << stateless::status_name(gen.verdict.status);
    stateless::StatelessInput in;
    in.schema = stateless::SchemaVersion::prefixed_r1;
    in.chain_id = 1;
    EXPECT_TRUE(
        stateless::block_to_payload(ch.blocks[i - 1], fork, ch.requests_of_block[i - 1], in).ok());
    for (const bytes& n : gen.witness.state)
        in.witness.state.push_back(n);
    for (const bytes& c : gen.witness.codes)
        in.witness.codes.push_back(c);
    for (const bytes& h : gen.witness.headers)
        in.witness.headers.push_back(h);
    // Keys: none (the guest recovers), which the prefixed layout allows.
    in.has_public_keys = false;
    return stateless::encode_stateless_input(in);
}
}  // namespace

TEST(AmsterdamTransition, HeadersSwitchAtTheForkTimestamp)
{
    Chain ch = build_chain();
    ASSERT_EQ(ch.blocks.size(), 3u);
    EXPECT_FALSE(ch.blocks[0].header.block_access_list_hash.has_value());
    EXPECT_FALSE(ch.blocks[0].header.slot_number.has_value());
    for (size_t i = 1; i < 3; ++i)
    {
        EXPECT_TRUE(ch.blocks[i].header.block_access_list_hash.has_value());
        ASSERT_TRUE(ch.blocks[i].block_access_list.has_value());
        EXPECT_EQ(keccak256(*ch.blocks[i].block_access_list),
            *ch.blocks[i].header.block_access_list_hash);
    }
    // Block 2's list: the system calls at index 0, the transaction at 1, the withdrawal at 2.
    const bytes& bal = *ch.blocks[1].block_access_list;
    const std::string h = to_hex(bal);
    EXPECT_NE(h.find("00000000000000000000000000000000000c0ffe"), std::string::npos);

    // The boundary: an Amsterdam header before the fork and an Osaka one after are refused.
    const chain::ChainConfig config = transition_config();
    chain::BlockHeader early = ch.blocks[1].header;
    early.timestamp = kForkTime - 1;
    EXPECT_EQ(chain::validate_header(config, ch.headers[1], early, 0),
        chain::Error::incorrect_block_format);
    chain::BlockHeader late = ch.blocks[0].header;
    late.number = 2;
    late.parent_hash = ch.headers[1].hash;
    late.timestamp = kForkTime;
    EXPECT_EQ(chain::validate_header(config, ch.headers[1], late, 0),
        chain::Error::incorrect_block_format);
}

TEST(AmsterdamTransition, ImportsAndValidatesStatelessly)
{
    Chain ch = build_chain();
    const std::string dir = test::scratch_dir("amsterdam_transition");
    const std::string path = dir + "/osaka_to_amsterdam.json";
    std::ofstream{path} << ch.fixture.dump(1);

    const auto spec = test::run_process(
        {test::stele_cli(), "spec", "run", "--mode", "stateless", "-j", "1", path});
    EXPECT_EQ(spec.exit_code, 0) << spec.out << spec.err;
    EXPECT_NE(spec.out.find("spec: 1 passed, 0 failed, 0 skipped"), std::string::npos) << spec.out;
    EXPECT_NE(spec.out.find("3 valid accepted"), std::string::npos) << spec.out;

    const auto import = test::run_process(
        {test::stele_cli(), "chain", "import", "--datadir", dir + "/store", path});
    EXPECT_EQ(import.exit_code, 0) << import.out << import.err;
    // The store serves the first Amsterdam block's witness; it validates with the chain config
    // written next to it (which names the Amsterdam revision).
    const auto served = test::run_process({test::stele_cli(), "witness", "generate", "--datadir",
        dir + "/store", "--block", "2", "--out", dir + "/w2"});
    EXPECT_EQ(served.exit_code, 0) << served.out << served.err;
    const auto check = test::run_process(
        {test::stele_cli(), "validate", "--block", dir + "/w2/block.rlp", "--witness",
            dir + "/w2/witness.json", "--chain-config", dir + "/w2/chain-config.json"});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    EXPECT_NE(check.out.find("accepted: block 2"), std::string::npos) << check.out;

    // The guest program on each block from its generated witness: host and stelevm agree.
    const stateless::Fork forks[3] = {
        stateless::Fork::osaka, stateless::Fork::amsterdam, stateless::Fork::amsterdam};
    const std::string elf = test::guest_elf("stateless/guest", "validator_accel", "stelevm");
    for (size_t i = 1; i <= 3; ++i)
    {
        SCOPED_TRACE(i);
        const bytes input = guest_input(ch, i, forks[i - 1]);
        const bytes out = stateless::run_stateless_program(input);
        stateless::StatelessValidationResult r;
        ASSERT_EQ(
            stateless::decode_validation_result(out, stateless::SchemaVersion::prefixed_r1, r),
            ssz::Error::success);
        EXPECT_TRUE(r.successful_validation);
        EXPECT_EQ(r.schema_id, stateless::schema_id(forks[i - 1]));

        const std::string in_path = dir + "/in.bin", out_path = dir + "/out.bin";
        std::ofstream{in_path, std::ios::binary}.write(reinterpret_cast<const char*>(input.data()),
            static_cast<std::streamsize>(input.size()));
        const auto run = test::run_process(
            {test::stele_cli(), "run", elf, "--input", in_path, "--output", out_path});
        EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
        std::ifstream of{out_path, std::ios::binary};
        const bytes guest{std::istreambuf_iterator<char>{of}, {}};
        EXPECT_EQ(to_hex(guest), to_hex(out));
    }
}

TEST(AmsterdamTransition, AccessListMismatchesAreTyped)
{
    Chain ch = build_chain();
    const chain::BlockEnv env = transition_env(ch.headers);
    const auto apply = [&](chain::Block b)
    {
        state::InMemoryState db = ch.states[1];
        return chain::apply_block(db, env, ch.headers[1], b).error;
    };
    EXPECT_EQ(apply(ch.blocks[1]), chain::Error::ok);
    {
        // The header commits to another list than execution builds.
        chain::Block b = ch.blocks[1];
        b.block_access_list.reset();
        b.header.block_access_list_hash->bytes[0] ^= 1;
        EXPECT_EQ(apply(b), chain::Error::invalid_block_access_list);
    }
    {
        // The payload's list is not the one the header commits to.
        chain::Block b = ch.blocks[1];
        b.block_access_list = bytes{0xc0};
        EXPECT_EQ(apply(b), chain::Error::invalid_bal_hash);
    }
    {
        // A list with an account the execution never touched (the header follows it).
        chain::Block b = ch.blocks[1];
        bytes list = *b.block_access_list;
        ASSERT_GT(list.size(), 3u);
        list[list.size() - 2] ^= 1;  // inside the last account's entries
        b.block_access_list = list;
        b.header.block_access_list_hash = keccak256(list);
        EXPECT_EQ(apply(b), chain::Error::invalid_block_access_list);
    }
}
