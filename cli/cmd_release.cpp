// `stele release verify`: checks a release directory made by scripts/release. The minisign
// formats are parsed here and the Ed25519 signatures checked with OpenSSL, so verifying needs no
// minisign binary; scripts/verify does the same checks with minisign and sha256sum alone.
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../emulator/text.hpp"
#include "../stateless/core/hex.hpp"
#include "../stateless/crypto/sha256.hpp"
#include "commands.hpp"
#include "file_read.hpp"

namespace stele::cli
{
namespace
{
namespace fs = std::filesystem;

// ---- minisign formats (https://jedisct1.github.io/minisign/, "Signature format") -------------
// Public key: base64("Ed" || key_id[8] || ed25519_pk[32]).
// Signature file, four lines:
//   untrusted comment: <text>                              (not signed)
//   base64(alg[2] || key_id[8] || ed25519_sig[64])        alg "ED": the signed message is
//                                                          BLAKE2b-512(file); "Ed" (legacy): the
//                                                          file
//   trusted comment: <text>
//   base64(ed25519 signature of (ed25519_sig || <text>))  binds the comment to the signature
using KeyId = std::array<uint8_t, 8>;

struct PublicKey
{
    KeyId key_id{};
    std::array<uint8_t, 32> key{};
};

struct MinisignSignature
{
    bool prehashed = true;
    KeyId key_id{};
    std::array<uint8_t, 64> signature{};
    std::string trusted_comment;
    std::array<uint8_t, 64> global_signature{};
};

// Strict RFC 4648 base64 with padding; nullopt on anything else.
std::optional<bytes> base64_decode(std::string_view s)
{
    if (s.size() % 4 != 0)
        return std::nullopt;
    auto value = [](char c) -> int
    {
        if (c >= 'A' && c <= 'Z')
            return c - 'A';
        if (c >= 'a' && c <= 'z')
            return c - 'a' + 26;
        if (c >= '0' && c <= '9')
            return c - '0' + 52;
        if (c == '+')
            return 62;
        if (c == '/')
            return 63;
        return -1;
    };
    bytes out;
    for (size_t i = 0; i < s.size(); i += 4)
    {
        const bool last = i + 4 == s.size();
        const size_t pad = last ? static_cast<size_t>(std::count(s.end() - 2, s.end(), '=')) : 0;
        if (pad == 1 && s[i + 2] == '=')
            return std::nullopt;
        uint32_t group = 0;
        for (size_t k = 0; k < 4; ++k)
        {
            const int v = k >= 4 - pad ? 0 : value(s[i + k]);
            if (v < 0)
                return std::nullopt;
            group = group << 6 | static_cast<uint32_t>(v);
        }
        out.push_back(static_cast<uint8_t>(group >> 16));
        if (pad < 2)
            out.push_back(static_cast<uint8_t>(group >> 8));
        if (pad < 1)
            out.push_back(static_cast<uint8_t>(group));
    }
    return out;
}

std::vector<std::string> split_lines(const std::string& text)
{
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size())
    {
        size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        lines.push_back(std::move(line));
        start = end + 1;
    }
    return lines;
}

// Release files are read only when they are regular files (no symlink, FIFO or device: a
// FIFO would block, /dev/zero never end) and no larger than a release holds: an ELF is a few
// MB, the text files a few KB.
constexpr uint64_t kMaxReleaseFile = uint64_t{256} << 20;
constexpr uint64_t kMaxReleaseText = uint64_t{1} << 20;

std::optional<bytes> read_bytes(const fs::path& path, uint64_t max_bytes = kMaxReleaseFile)
{
    bytes b;
    if (!read_regular_file(path.string(), max_bytes, b, false).empty())
        return std::nullopt;
    return b;
}

std::optional<std::string> read_text(const fs::path& path)
{
    auto b = read_bytes(path, kMaxReleaseText);
    if (!b)
        return std::nullopt;
    return std::string(b->begin(), b->end());
}

// Whether `path` itself (not what a symlink points to) is a regular file; never throws.
bool plain_regular_file(const fs::path& path)
{
    std::error_code ec;
    return fs::is_regular_file(fs::symlink_status(path, ec));
}

// KEY is a minisign.pub file or its base64 line (like `minisign -P`).
std::optional<PublicKey> parse_public_key(const std::string& key, std::string& error)
{
    std::string line = key;
    if (fs::is_regular_file(key))
    {
        const auto text = read_text(key);
        if (!text)
        {
            error = "cannot read the public key file";
            return std::nullopt;
        }
        const auto lines = split_lines(*text);
        if (lines.size() < 2 || lines[0].rfind("untrusted comment:", 0) != 0)
        {
            error = "not a minisign public key file";
            return std::nullopt;
        }
        line = lines[1];
    }
    const auto raw = base64_decode(line);
    if (!raw || raw->size() != 42 || (*raw)[0] != 'E' || (*raw)[1] != 'd')
    {
        error = "not a minisign Ed25519 public key";
        return std::nullopt;
    }
    PublicKey pk;
    std::copy_n(raw->begin() + 2, 8, pk.key_id.begin());
    std::copy_n(raw->begin() + 10, 32, pk.key.begin());
    return pk;
}

std::optional<MinisignSignature> parse_signature(const std::string& text, std::string& error)
{
    const auto lines = split_lines(text);
    static constexpr std::string_view trusted_prefix = "trusted comment: ";
    if (lines.size() < 4 || lines.size() > 5 || (lines.size() == 5 && !lines[4].empty()) ||
        lines[0].rfind("untrusted comment:", 0) != 0 || lines[2].rfind(trusted_prefix, 0) != 0)
    {
        error = "malformed minisign signature file";
        return std::nullopt;
    }
    const auto sig = base64_decode(lines[1]);
    const auto global = base64_decode(lines[3]);
    if (!sig || sig->size() != 74 || !global || global->size() != 64)
    {
        error = "malformed minisign signature (bad base64 or length)";
        return std::nullopt;
    }
    MinisignSignature s;
    if ((*sig)[0] == 'E' && (*sig)[1] == 'D')
        s.prehashed = true;
    else if ((*sig)[0] == 'E' && (*sig)[1] == 'd')
        s.prehashed = false;
    else
    {
        error = "unknown minisign signature algorithm";
        return std::nullopt;
    }
    std::copy_n(sig->begin() + 2, 8, s.key_id.begin());
    std::copy_n(sig->begin() + 10, 64, s.signature.begin());
    s.trusted_comment = lines[2].substr(trusted_prefix.size());
    std::copy_n(global->begin(), 64, s.global_signature.begin());
    return s;
}

bool ed25519_verify(const PublicKey& pk, bytes_view message, const std::array<uint8_t, 64>& sig)
{
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, pk.key.data(), pk.key.size()),
        EVP_PKEY_free};
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), EVP_MD_CTX_free};
    if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
        return false;
    return EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), message.data(), message.size()) == 1;
}

std::optional<bytes> blake2b512(bytes_view data)
{
    bytes out(64);
    unsigned len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_blake2b512(), nullptr) != 1 ||
        len != 64)
        return std::nullopt;
    return out;
}

// As minisign prints it: the 8 bytes as a little-endian number in upper-case hex.
std::string key_id_string(const KeyId& id)
{
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string s;
    for (auto it = id.rbegin(); it != id.rend(); ++it)
    {
        s += digits[*it >> 4];
        s += digits[*it & 15];
    }
    return s;
}

// Checks SIG_TEXT against FILE_BYTES and PK; returns the trusted comment, or sets error.
std::optional<std::string> verify_minisign(
    const PublicKey& pk, bytes_view file_bytes, const std::string& sig_text, std::string& error)
{
    const auto sig = parse_signature(sig_text, error);
    if (!sig)
        return std::nullopt;
    if (sig->key_id != pk.key_id)
    {
        error = "signed by another key (key id " + key_id_string(sig->key_id) + ", expected " +
                key_id_string(pk.key_id) + ")";
        return std::nullopt;
    }
    bytes prehash;
    if (sig->prehashed)
    {
        auto h = blake2b512(file_bytes);
        if (!h)
        {
            error = "BLAKE2b-512 unavailable";
            return std::nullopt;
        }
        prehash = std::move(*h);
    }
    if (!ed25519_verify(pk, sig->prehashed ? bytes_view{prehash} : file_bytes, sig->signature))
    {
        error = "signature verification failed";
        return std::nullopt;
    }
    bytes global(sig->signature.begin(), sig->signature.end());
    global.insert(global.end(), sig->trusted_comment.begin(), sig->trusted_comment.end());
    if (!ed25519_verify(pk, global, sig->global_signature))
    {
        error = "trusted comment signature verification failed";
        return std::nullopt;
    }
    return sig->trusted_comment;
}

// ---- release layout ---------------------------------------------------------------------------
// Hand-written matchers rather than std::regex: GCC 12's <regex> trips -Wmaybe-uninitialized
// under the sanitizer build, and these formats are simple.

// N decimal numbers joined by SEP, e.g. "0.1.0" (SEP '.') or "0_1_0" (SEP '_').
bool is_numbers(std::string_view s, char sep, int n)
{
    for (int i = 0; i < n; ++i)
    {
        size_t digits = 0;
        while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9')
            ++digits;
        if (digits == 0)
            return false;
        s.remove_prefix(digits);
        if (i + 1 < n)
        {
            if (s.empty() || s[0] != sep)
                return false;
            s.remove_prefix(1);
        }
    }
    return s.empty();
}

bool is_semver(std::string_view s)
{
    return is_numbers(s, '.', 3);
}

// [examples/<program>-]stele-v<X_Y_Z>-<stelevm|qemu>-v<A_B_C>, program in [a-z0-9_]+.
bool is_artifact_name(std::string_view s)
{
    if (s.starts_with("examples/"))
    {
        s.remove_prefix(9);
        const size_t dash = s.find('-');
        if (dash == 0 || dash == std::string_view::npos)
            return false;
        for (const char c : s.substr(0, dash))
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
                return false;
        s.remove_prefix(dash + 1);
    }
    if (!s.starts_with("stele-v"))
        return false;
    s.remove_prefix(7);
    const size_t dash = s.find('-');
    if (dash == std::string_view::npos || !is_numbers(s.substr(0, dash), '_', 3))
        return false;
    s.remove_prefix(dash + 1);
    for (const std::string_view zkvm : {"stelevm-v", "qemu-v"})
        if (s.starts_with(zkvm))
            return is_numbers(s.substr(zkvm.size()), '_', 3);
    return false;
}

// stateless-validator-stele-<stelevm|qemu>-<A.B.C>.elf: the EF guest handbook's name,
// stateless-validator-<guestName>-<zkVMName>-<zkVMVersion>.elf.
bool is_handbook_name(std::string_view s)
{
    if (!s.starts_with("stateless-validator-stele-") || !s.ends_with(".elf"))
        return false;
    s.remove_prefix(26);
    s.remove_suffix(4);
    for (const std::string_view zkvm : {"stelevm-", "qemu-"})
        if (s.starts_with(zkvm))
            return is_semver(s.substr(zkvm.size()));
    return false;
}

// staticlib/{libstele_validator.a, libstele_validator_software.a, include/<name>.h, README.md}.
bool is_staticlib_name(std::string_view s)
{
    if (s == "staticlib/libstele_validator.a" || s == "staticlib/libstele_validator_software.a" ||
        s == "staticlib/README.md")
        return true;
    if (!s.starts_with("staticlib/include/") || !s.ends_with(".h") || s.size() <= 20)
        return false;
    const std::string_view stem = s.substr(18, s.size() - 20);
    return std::all_of(stem.begin(), stem.end(),
        [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool is_release_name(std::string_view s)
{
    return is_artifact_name(s) || is_handbook_name(s) || is_staticlib_name(s);
}

bool is_lower_hex(std::string_view s)
{
    return std::all_of(s.begin(), s.end(),
        [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string version_tag(const std::string& v)
{
    std::string t = "v" + v;
    std::replace(t.begin(), t.end(), '.', '_');
    return t;
}

class ReleaseVerifier
{
public:
    ReleaseVerifier(fs::path dir, PublicKey pk) : m_dir(std::move(dir)), m_pk(pk) {}

    int run()
    {
        take_inventory();
        check_signature("SHA256SUMS");
        check_signature("manifest.json");
        check_signature("artifact-registry.json");
        for (const auto& a : m_artifacts)
            check_signature(a);
        check_sums();
        check_manifest();
        check_registry();
        if (m_errors > 0)
        {
            std::fprintf(stderr,
                "stele release verify: %s: %d problem(s); do NOT use this release\n",
                emu::printable(m_dir.string()).c_str(), m_errors);
            return 1;
        }
        std::printf(
            "stele release verify: %s: OK (%zu artifacts, manifest, artifact registry, SHA256SUMS; "
            "all signatures valid)\n",
            emu::printable(m_dir.string()).c_str(), m_artifacts.size());
        for (const auto& a : m_artifacts)
            std::printf("  %s  %s\n", sha256_of(a).c_str(), a.c_str());
        return 0;
    }

private:
    void fail(const std::string& file, const std::string& why)
    {
        // Names and lines come from the directory: escaped, so they cannot drive the terminal.
        std::fprintf(stderr, "stele release verify: FAIL %s: %s\n", emu::printable(file).c_str(),
            emu::printable(why).c_str());
        ++m_errors;
    }

    // The SHA-256 of a release file ("" if unreadable), read once.
    const std::string& sha256_of(const std::string& rel)
    {
        auto it = m_sha.find(rel);
        if (it == m_sha.end())
        {
            const auto b = read_bytes(m_dir / rel);
            std::string hex;
            if (b)
            {
                hex = to_hex(crypto::sha256(*b));
                m_size[rel] = b->size();
            }
            it = m_sha.emplace(rel, hex).first;
        }
        return it->second;
    }

    void take_inventory()
    {
        std::error_code ec;
        std::vector<std::string> files;
        for (auto it = fs::recursive_directory_iterator(m_dir, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        {
            // A symlinked directory (or a symlink loop) is listed and rejected below, not walked
            // into; the error_code forms never throw.
            std::error_code st_ec;
            if (fs::is_directory(it->symlink_status(st_ec)))
                continue;
            files.push_back(it->path().lexically_relative(m_dir).generic_string());
        }
        if (ec)
            fail(m_dir.string(), "cannot list the directory: " + ec.message());
        std::sort(files.begin(), files.end());
        for (const auto& f : files)
        {
            std::error_code st_ec;
            const auto st = fs::symlink_status(m_dir / f, st_ec);
            if (fs::is_symlink(st))
                fail(f, "a symbolic link (release files must be regular files in the directory)");
            else if (!fs::is_regular_file(st))
                fail(f, "unexpected non-regular file (a FIFO, device or socket)");
            else if (fs::file_size(m_dir / f, st_ec) > kMaxReleaseFile)
                fail(f, "larger than " + std::to_string(kMaxReleaseFile) + " bytes");
            else if (f == "SHA256SUMS" || f == "manifest.json" || f == "artifact-registry.json")
                continue;
            else if (f.size() > 8 && f.ends_with(".minisig"))
            {
                if (!plain_regular_file(m_dir / f.substr(0, f.size() - 8)))
                    fail(f, "signature of a file that is not in the release");
            }
            else if (is_release_name(f))
                m_artifacts.push_back(f);
            else
                fail(f,
                    "unexpected file: not a release name "
                    "([examples/<program>-]stele-vX_Y_Z-<stelevm|qemu>-vA_B_C, "
                    "stateless-validator-stele-<stelevm|qemu>-A.B.C.elf, staticlib/...)");
        }
        if (m_artifacts.empty())
            fail(m_dir.string(), "no ELF in the release");
    }

    void check_signature(const std::string& rel)
    {
        const auto content = read_bytes(m_dir / rel);
        if (!content)
        {
            fail(rel, "missing");
            return;
        }
        const auto sig_text = read_text(m_dir / (rel + ".minisig"));
        if (!sig_text)
        {
            fail(rel, "no signature (" + rel + ".minisig missing)");
            return;
        }
        std::string error;
        const auto comment = verify_minisign(m_pk, *content, *sig_text, error);
        if (!comment)
        {
            fail(rel, "bad signature (" + rel + ".minisig): " + error);
            return;
        }
        const std::string expected = "name=" + rel + " sha256=" + sha256_of(rel);
        if (*comment != expected)
            fail(rel, "signed trusted comment '" + *comment + "' does not match " + expected);
    }

    void check_sums()
    {
        const auto text = read_text(m_dir / "SHA256SUMS");
        if (!text)
            return;  // reported by check_signature
        std::set<std::string> listed;
        for (const auto& line : split_lines(*text))
        {
            // sha256sum's format: 64 hex digits, a space, ' ' (text) or '*' (binary), the name.
            if (line.size() < 67 || !is_lower_hex(std::string_view{line}.substr(0, 64)) ||
                line[64] != ' ' || (line[65] != ' ' && line[65] != '*'))
            {
                fail("SHA256SUMS", "malformed line '" + line + "'");
                continue;
            }
            const std::string hash = line.substr(0, 64);
            const std::string name = line.substr(66);
            if (!listed.insert(name).second)
                fail("SHA256SUMS", "lists " + name + " twice");
            if (name != "manifest.json" && name != "artifact-registry.json" &&
                std::find(m_artifacts.begin(), m_artifacts.end(), name) == m_artifacts.end())
                fail(name, "listed in SHA256SUMS but not in the release");
            else if (sha256_of(name) != hash)
                fail(name, "SHA-256 does not match SHA256SUMS");
        }
        for (const auto& f : m_artifacts)
            if (!listed.contains(f))
                fail(f, "not listed in SHA256SUMS");
        for (const char* meta : {"manifest.json", "artifact-registry.json"})
            if (!listed.contains(meta))
                fail(meta, "not listed in SHA256SUMS");
    }

    void check_manifest()
    {
        const auto text = read_text(m_dir / "manifest.json");
        if (!text)
            return;  // reported by check_signature
        const auto j = nlohmann::json::parse(*text, nullptr, false);
        auto str = [](const nlohmann::json& o, const char* key) -> std::string
        {
            const auto it = o.find(key);
            return it != o.end() && it->is_string() ? it->get<std::string>() : std::string{};
        };
        if (j.is_discarded() || !j.is_object())
        {
            fail("manifest.json", "not valid JSON");
            return;
        }
        const std::string el_version = str(j, "el_version");
        const std::string sdk_version = str(j, "zkvm_sdk_version");
        if (str(j, "el_name") != "stele" || !is_semver(el_version) || !is_semver(sdk_version))
            fail("manifest.json", "el_name / el_version / zkvm_sdk_version missing or malformed");
        const auto arts = j.find("artifacts");
        if (arts == j.end() || !arts->is_array())
        {
            fail("manifest.json", "no artifacts list");
            return;
        }
        std::set<std::string> listed;
        for (const auto& a : *arts)
        {
            if (!a.is_object())
            {
                fail("manifest.json", "an artifact entry is not an object");
                continue;
            }
            const std::string name = str(a, "name");
            const std::string kind = str(a, "kind");
            const std::string prefix =
                kind == "example" ? "examples/" + str(a, "program") + "-" : "";
            const std::string rollout_name = prefix + "stele-" + version_tag(str(a, "version")) +
                                             "-" + str(a, "zkvm") + "-" +
                                             version_tag(str(a, "zkvm_sdk_version"));
            const std::string expected_name =
                kind == "handbook" ? "stateless-validator-stele-" + str(a, "zkvm") + "-" +
                                         str(a, "zkvm_sdk_version") + ".elf"
                : kind == "staticlib" ? (is_staticlib_name(name) ? name : "staticlib/...")
                                      : rollout_name;
            if (!listed.insert(name).second)
                fail("manifest.json", "lists " + name + " twice");
            if (std::find(m_artifacts.begin(), m_artifacts.end(), name) == m_artifacts.end())
            {
                fail(name.empty() ? "manifest.json" : name,
                    "in manifest.json but not in the release");
                continue;
            }
            const bool versioned = kind != "staticlib";
            if ((kind != "example" && kind != "validator" && kind != "handbook" &&
                    kind != "staticlib") ||
                name != expected_name || str(a, "version") != el_version ||
                (versioned && str(a, "zkvm_sdk_version") != sdk_version))
                fail(name,
                    "name does not match the manifest's kind/program/version/zkvm fields "
                    "(expected " +
                        expected_name + ")");
            if (kind == "validator")
                m_validators[str(a, "zkvm")] = name;
            if (kind == "handbook")
                m_handbook[name] = str(a, "same_as");
            if (str(a, "sha256") != sha256_of(name))
                fail(name, "SHA-256 does not match manifest.json");
            const auto size = a.find("size");
            if (size == a.end() || !size->is_number_unsigned() ||
                size->get<uint64_t>() != m_size[name])
                fail(name, "size does not match manifest.json");
        }
        for (const auto& f : m_artifacts)
            if (!listed.contains(f))
                fail(f, "not listed in manifest.json");
        // A handbook-named ELF is the validator ELF of its zkVM, byte for byte, and every
        // validator ELF has one.
        for (const auto& [zkvm, validator] : m_validators)
        {
            const std::string handbook =
                "stateless-validator-stele-" + zkvm + "-" + sdk_version + ".elf";
            const auto it = m_handbook.find(handbook);
            if (it == m_handbook.end())
                fail(validator, "no copy under its handbook name " + handbook);
            else if (it->second != validator || sha256_of(handbook) != sha256_of(validator))
                fail(handbook, "not byte-identical to the validator ELF " + validator);
        }
        for (const auto& [handbook, same_as] : m_handbook)
            if (std::none_of(m_validators.begin(), m_validators.end(),
                    [&](const auto& v) { return v.second == same_as; }))
                fail(handbook, "names no validator ELF of the release (same_as '" + same_as + "')");
        m_el_version = el_version;
    }

    // artifact-registry.json, in ere-guests' shape: sections of {key: {el_version, url, sha256}};
    // every url must name a release file (the url ends with "/" + its path, or is the path) whose
    // SHA-256 is given; every handbook-named ELF and every archive must be registered.
    void check_registry()
    {
        const auto text = read_text(m_dir / "artifact-registry.json");
        if (!text)
            return;  // reported by check_signature
        const auto j = nlohmann::json::parse(*text, nullptr, false);
        if (j.is_discarded() || !j.is_object())
        {
            fail("artifact-registry.json", "not valid JSON");
            return;
        }
        std::set<std::string> registered;
        for (const char* section : {"stateless_validator_elf", "stateless_validator_static_library",
                 "zkvm_static_library"})
        {
            const auto sec = j.find(section);
            if (sec == j.end() || !sec->is_object())
            {
                fail("artifact-registry.json", std::string{"no section "} + section);
                continue;
            }
            for (const auto& [key, e] : sec->items())
            {
                const std::string where = std::string{section} + "." + key;
                if (!e.is_object() || !e.contains("el_version") || !e["el_version"].is_string() ||
                    !e.contains("url") || !e["url"].is_string() || !e.contains("sha256") ||
                    !e["sha256"].is_string())
                {
                    fail("artifact-registry.json", where + ": not {el_version, url, sha256}");
                    continue;
                }
                const std::string url = e["url"].get<std::string>();
                const auto target = std::find_if(m_artifacts.begin(), m_artifacts.end(),
                    [&](const std::string& f) { return url == f || url.ends_with("/" + f); });
                if (target == m_artifacts.end())
                {
                    fail("artifact-registry.json", where + ": url '" + url + "' names no file");
                    continue;
                }
                registered.insert(*target);
                if (e["el_version"].get<std::string>() != m_el_version)
                    fail("artifact-registry.json",
                        where + ": el_version is not the manifest's " + m_el_version);
                if (e["sha256"].get<std::string>() != sha256_of(*target))
                    fail("artifact-registry.json", where + ": sha256 does not match " + *target);
            }
        }
        for (const auto& f : m_artifacts)
            if ((is_handbook_name(f) || (f.starts_with("staticlib/") && f.ends_with(".a"))) &&
                !registered.contains(f))
                fail(f, "not in artifact-registry.json");
    }

    fs::path m_dir;
    PublicKey m_pk;
    std::vector<std::string> m_artifacts;
    std::map<std::string, std::string> m_sha;
    std::map<std::string, uint64_t> m_size;
    std::map<std::string, std::string> m_validators;  // zkvm -> rollout-named validator ELF
    std::map<std::string, std::string> m_handbook;    // handbook name -> same_as
    std::string m_el_version;
    int m_errors = 0;
};
}  // namespace

void register_release(CLI::App& app, int& exit_code)
{
    auto* release = app.add_subcommand("release", "Check signed release directories");
    release->require_subcommand(1);
    auto* verify = release->add_subcommand("verify",
        "Verify a release made by scripts/release: every artifact, manifest.json, "
        "artifact-registry.json and SHA256SUMS carries a valid minisign signature by KEY whose "
        "trusted comment names the file and its SHA-256; SHA256SUMS and manifest.json match every "
        "artifact; every ELF is named [examples/<program>-]stele-vX_Y_Z-<stelevm|qemu>-vA_B_C, "
        "and each validator ELF is also there, byte for byte, as "
        "stateless-validator-stele-<stelevm|qemu>-A.B.C.elf; the static libraries sit in "
        "staticlib/; artifact-registry.json's url and sha256 match the files; nothing else is "
        "present. Each problem names its file; exit 1 if any.");
    static std::string dir;
    static std::string key;
    verify->add_option("dir", dir, "Release directory")->required()->check(CLI::ExistingDirectory);
    verify->add_option("--pubkey", key, "minisign public key file, or its base64 line (RW...)")
        ->required();
    verify->callback(
        [&exit_code]
        {
            std::string error;
            const auto pk = parse_public_key(key, error);
            if (!pk)
            {
                std::fprintf(stderr, "stele release verify: %s: %s\n", key.c_str(), error.c_str());
                exit_code = 2;
                return;
            }
            exit_code = ReleaseVerifier{dir, *pk}.run();
        });
}
}  // namespace stele::cli
