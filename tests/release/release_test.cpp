// Release signing and verification. The release under test is made once by release.make
// (make-release.sh: a throwaway key, scripts/release); each case copies it before changing it.
// Both verifiers -- `stele release verify` (OpenSSL Ed25519, our minisign parser) and
// scripts/verify (minisign + sha256sum) -- must accept the release, and must reject every
// tampering with a non-zero exit and a message naming the file. minisign itself is the oracle
// that the signatures are real minisign signatures.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "common/paths.hpp"
#include "common/process.hpp"

namespace fs = std::filesystem;
using stele::test::run_process;

namespace
{
const fs::path work_dir{STELE_RELEASE_WORK_DIR};
const fs::path release_dir = work_dir / "release";
const std::string pubkey = (work_dir / "test.pub").string();
const std::string seckey = (work_dir / "test.key").string();
const fs::path source_dir{STELE_SOURCE_DIR};

std::string tag(std::string v)
{
    for (auto& c : v)
        if (c == '.')
            c = '_';
    return "v" + v;
}

std::string suffix(const std::string& zkvm)
{
    return "stele-" + tag(STELE_VERSION) + "-" + zkvm + "-" + tag(STELE_ZKVM_VERSION);
}

std::string read_file(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& p, const std::string& s)
{
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << s;
}

// SHA-256 by OpenSSL: independent of the code under test.
std::string sha256_hex(const std::string& data)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned i = 0; i < len; ++i)
    {
        hex += digits[md[i] >> 4];
        hex += digits[md[i] & 15];
    }
    return hex;
}

// The EF guest handbook's name of the validator ELF for ZKVM.
std::string handbook_name(const std::string& zkvm)
{
    return "stateless-validator-stele-" + zkvm + "-" + STELE_ZKVM_VERSION + ".elf";
}

// The expected ELFs: every example guest for both backends, plus the validator under its
// rollout-plan and its handbook name.
std::vector<std::string> expected_elfs()
{
    std::vector<std::string> names;
    for (const char* prog : {"echo", "empty", "fail", "hello"})
        for (const char* zkvm : {"qemu", "stelevm"})
            names.push_back(std::string{"examples/"} + prog + "-" + suffix(zkvm));
    for (const char* zkvm : {"qemu", "stelevm"})
    {
        names.push_back(suffix(zkvm));
        names.push_back(handbook_name(zkvm));
    }
    std::sort(names.begin(), names.end());
    return names;
}

// Every artifact: the ELFs and the static-library files.
std::vector<std::string> expected_artifacts()
{
    auto names = expected_elfs();
    for (const char* f : {"staticlib/libstele_validator.a",
             "staticlib/libstele_validator_software.a", "staticlib/include/zkvm_io.h",
             "staticlib/include/zkvm_accelerators.h", "staticlib/README.md"})
        names.push_back(f);
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::string> signed_files()
{
    auto files = expected_artifacts();
    files.push_back("manifest.json");
    files.push_back("artifact-registry.json");
    files.push_back("SHA256SUMS");
    return files;
}

// One signed file of each kind (the metadata, an example, a validator under both names, an
// archive, a header, the README): for the tests that try several tamperings per file.
std::vector<std::string> one_signed_file_per_kind()
{
    return {"SHA256SUMS", "manifest.json", "artifact-registry.json", expected_elfs()[0],
        suffix("stelevm"), handbook_name("qemu"), "staticlib/libstele_validator.a",
        "staticlib/include/zkvm_io.h", "staticlib/README.md"};
}

void resign(const fs::path& dir, const std::string& f)
{
    const auto r = run_process({STELE_MINISIGN, "-S", "-s", seckey, "-m", (dir / f).string(), "-t",
        "name=" + f + " sha256=" + sha256_hex(read_file(dir / f))});
    ASSERT_EQ(r.exit_code, 0) << r.err;
}

// Replaces FILE's hash in SHA256SUMS by its current one and re-signs SHA256SUMS.
void update_sums(const fs::path& dir, const std::string& file)
{
    auto sums = read_file(dir / "SHA256SUMS");
    const auto end = sums.find("  " + file + "\n");
    ASSERT_NE(end, std::string::npos) << file;
    sums.replace(end - 64, 64, sha256_hex(read_file(dir / file)));
    write_file(dir / "SHA256SUMS", sums);
    resign(dir, "SHA256SUMS");
}

// A private copy of the release for one test to change.
fs::path copy_release(const std::string& test)
{
    const fs::path dir = fs::path{stele::test::scratch_dir("release_test/" + test)} / "release";
    fs::copy(release_dir, dir, fs::copy_options::recursive);
    return dir;
}

struct Verdict
{
    int stele = -1;
    int script = -1;
    std::string stele_err;
    std::string script_err;
};

Verdict verify_both(const fs::path& dir, const std::string& key = pubkey)
{
    const auto a =
        run_process({stele::test::stele_cli(), "release", "verify", dir.string(), "--pubkey", key});
    const auto b = run_process({(source_dir / "scripts/verify").string(), dir.string(), key});
    return {a.exit_code, b.exit_code, a.err + a.out, b.err + b.out};
}

// Both verifiers fail and name FILE as the failing file.
void expect_rejected_naming(const fs::path& dir, const std::string& file, const std::string& what)
{
    const auto v = verify_both(dir);
    EXPECT_EQ(v.stele, 1) << what << "\n" << v.stele_err;
    EXPECT_EQ(v.script, 1) << what << "\n" << v.script_err;
    EXPECT_NE(v.stele_err.find("FAIL " + file + ":"), std::string::npos)
        << what << ": stele does not name " << file << ":\n"
        << v.stele_err;
    EXPECT_NE(v.script_err.find("FAIL " + file + ":"), std::string::npos)
        << what << ": scripts/verify does not name " << file << ":\n"
        << v.script_err;
}

void flip_byte(const fs::path& p, size_t offset, uint8_t mask = 0x01)
{
    auto s = read_file(p);
    ASSERT_LT(offset, s.size()) << p;
    s[offset] = static_cast<char>(s[offset] ^ mask);
    write_file(p, s);
}

// Offset of the middle of line LINE (0-based) of a text file.
size_t middle_of_line(const std::string& text, int line)
{
    size_t start = 0;
    for (int i = 0; i < line; ++i)
        start = text.find('\n', start) + 1;
    const size_t end = text.find('\n', start);
    return start + (end - start) / 2;
}

// Replaces one base64 character of LINE by another valid one: the signature still parses, so
// the cryptographic check is what must catch it.
void change_base64_char(const fs::path& sig, int line)
{
    auto s = read_file(sig);
    const size_t at = middle_of_line(s, line);
    s[at] = s[at] == 'A' ? 'B' : 'A';
    write_file(sig, s);
}

nlohmann::json manifest()
{
    return nlohmann::json::parse(read_file(release_dir / "manifest.json"));
}
}  // namespace

TEST(Release, LayoutFollowsTheNamingScheme)
{
    std::set<std::string> present;
    for (const auto& e : fs::recursive_directory_iterator(release_dir))
        if (e.is_regular_file())
            present.insert(fs::relative(e.path(), release_dir).generic_string());
    std::set<std::string> expected{"SHA256SUMS", "SHA256SUMS.minisig", "manifest.json",
        "manifest.json.minisig", "artifact-registry.json", "artifact-registry.json.minisig"};
    for (const auto& a : expected_artifacts())
    {
        expected.insert(a);
        expected.insert(a + ".minisig");
    }
    EXPECT_EQ(present, expected);
    // The rollout plan's example spelling, for our versions.
    EXPECT_EQ(suffix("stelevm"), "stele-v0_1_0-stelevm-v0_1_0");
}

TEST(Release, ArtifactsAreTheElfsOfTheMainBuild)
{
    // build-guests builds in its own tree; the default build's guest tree (whose ELFs ctest's
    // elfcheck tests validate) must give the same bytes.
    for (const char* prog : {"echo", "empty", "fail", "hello"})
        for (const auto& [backend, zkvm] :
            {std::pair{"stelevm", "stelevm"}, std::pair{"linux", "qemu"}})
        {
            const auto built = read_file(stele::test::guest_elf("examples", prog, backend));
            const auto released =
                read_file(release_dir / "examples" / (std::string{prog} + "-" + suffix(zkvm)));
            ASSERT_FALSE(built.empty()) << prog << "." << backend;
            EXPECT_TRUE(built == released) << prog << "." << backend << " differs";
        }
    // The validator: the accelerated build for stelevm, the software build for qemu, under
    // both names.
    for (const auto& [prog, backend, zkvm] : {std::tuple{"validator_accel", "stelevm", "stelevm"},
             std::tuple{"validator", "linux", "qemu"}})
    {
        const auto built = read_file(stele::test::guest_elf("stateless/guest", prog, backend));
        ASSERT_FALSE(built.empty()) << prog << "." << backend;
        EXPECT_TRUE(built == read_file(release_dir / suffix(zkvm)))
            << prog << "." << backend << " differs from the released " << suffix(zkvm);
        EXPECT_TRUE(built == read_file(release_dir / handbook_name(zkvm)))
            << prog << "." << backend << " differs from the released " << handbook_name(zkvm);
    }
    // The static libraries and headers: those of the main build.
    for (const char* lib : {"libstele_validator.a", "libstele_validator_software.a"})
    {
        const auto built =
            read_file(std::string{STELE_GUEST_BIN_DIR} + "/stateless/guest/staticlib/" + lib);
        ASSERT_GT(built.size(), 100000u) << lib;
        EXPECT_TRUE(built.starts_with("!<arch>\n")) << lib;
        EXPECT_TRUE(built == read_file(release_dir / "staticlib" / lib)) << lib << " differs";
    }
    for (const char* h : {"zkvm_io.h", "zkvm_accelerators.h"})
        EXPECT_EQ(read_file(release_dir / "staticlib/include" / h),
            read_file(source_dir / "guest-rt/include/stele" / h));
}

TEST(Release, EveryReleasedElfPassesTheStandardsCheck)
{
    for (const auto& f : expected_elfs())
    {
        const auto r =
            run_process({stele::test::stele_cli(), "elf", "check", (release_dir / f).string()});
        EXPECT_EQ(r.exit_code, 0) << f << ":\n" << r.err;
    }
}

TEST(Release, ArtifactRegistryHasTheEreGuestsShape)
{
    const auto j = nlohmann::json::parse(read_file(release_dir / "artifact-registry.json"));
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(j.size(), 3u);
    const auto& elfs = j.at("stateless_validator_elf");
    const auto& libs = j.at("stateless_validator_static_library");
    EXPECT_TRUE(j.at("zkvm_static_library").empty());
    const std::pair<const char*, std::string> entries[] = {
        {"stele-stelevm", handbook_name("stelevm")}, {"stele-qemu", handbook_name("qemu")}};
    ASSERT_EQ(elfs.size(), 2u);
    for (const auto& [key, file] : entries)
    {
        const auto& e = elfs.at(key);
        EXPECT_EQ(e.size(), 3u);
        EXPECT_EQ(e.at("el_version"), STELE_VERSION);
        EXPECT_EQ(e.at("url"), file);  // no --url-base: relative to the release
        EXPECT_EQ(e.at("sha256"), sha256_hex(read_file(release_dir / file)));
    }
    ASSERT_EQ(libs.size(), 2u);
    EXPECT_EQ(libs.at("stele").at("url"), "staticlib/libstele_validator.a");
    EXPECT_EQ(libs.at("stele-software").at("sha256"),
        sha256_hex(read_file(release_dir / "staticlib/libstele_validator_software.a")));
}

TEST(Release, HandbookElfThatIsNotTheValidatorIsRejectedEvenWhenResigned)
{
    // The stelevm handbook ELF replaced by the qemu validator, with a valid signature, sums,
    // manifest and registry: only the byte-identity rule can catch it.
    const auto dir = copy_release("handbook_swap");
    const std::string f = handbook_name("stelevm");
    fs::copy_file(dir / suffix("qemu"), dir / f, fs::copy_options::overwrite_existing);
    resign(dir, f);
    const std::string old_sha = sha256_hex(read_file(release_dir / f));
    const std::string new_sha = sha256_hex(read_file(dir / f));
    // The manifest's line for f: new hash and size. The registry's entry: new hash.
    auto m = read_file(dir / "manifest.json");
    const size_t line = m.find("{\"name\": \"" + f + "\"");
    ASSERT_NE(line, std::string::npos);
    const size_t line_end = m.find('\n', line);
    std::string entry = m.substr(line, line_end - line);
    entry.replace(entry.find(old_sha), 64, new_sha);
    const size_t size_at = entry.find("\"size\": ") + 8;
    entry.replace(
        size_at, entry.find(',', size_at) - size_at, std::to_string(fs::file_size(dir / f)));
    m.replace(line, line_end - line, entry);
    write_file(dir / "manifest.json", m);
    auto reg = read_file(dir / "artifact-registry.json");
    ASSERT_NE(reg.find(old_sha), std::string::npos);
    reg.replace(reg.find(old_sha), 64, new_sha);
    write_file(dir / "artifact-registry.json", reg);
    for (const char* meta : {"manifest.json", "artifact-registry.json"})
    {
        resign(dir, meta);
        update_sums(dir, meta);
    }
    update_sums(dir, f);
    const auto v = verify_both(dir);
    EXPECT_EQ(v.stele, 1) << v.stele_err;
    EXPECT_EQ(v.script, 1) << v.script_err;
    for (const auto& err : {v.stele_err, v.script_err})
        EXPECT_NE(err.find("FAIL " + f + ": not byte-identical"), std::string::npos) << err;
}

TEST(Release, RegistryThatDisagreesWithTheFilesIsRejectedEvenWhenResigned)
{
    const std::string elf = handbook_name("qemu");
    const std::string sha = sha256_hex(read_file(release_dir / elf));
    struct Case
    {
        const char* what;
        std::string from, to, says;
    };
    const Case cases[] = {
        {"wrong sha256", sha, std::string(64, 'b'), "sha256 does not match"},
        {"url of no release file", "\"url\": \"" + elf, "\"url\": \"x" + elf, "names no file"},
        {"other el_version", "\"el_version\": \"" STELE_VERSION,
            "\"el_version\": \"" STELE_VERSION "9", "el_version"},
    };
    for (const auto& c : cases)
    {
        const auto dir = copy_release("registry");
        auto text = read_file(dir / "artifact-registry.json");
        const auto at = text.find(c.from);
        ASSERT_NE(at, std::string::npos) << c.what;
        text.replace(at, c.from.size(), c.to);
        write_file(dir / "artifact-registry.json", text);
        resign(dir, "artifact-registry.json");
        update_sums(dir, "artifact-registry.json");
        const auto v = verify_both(dir);
        EXPECT_EQ(v.stele, 1) << c.what << v.stele_err;
        EXPECT_EQ(v.script, 1) << c.what << v.script_err;
        for (const auto& err : {v.stele_err, v.script_err})
        {
            EXPECT_NE(err.find("FAIL artifact-registry.json: "), std::string::npos) << err;
            EXPECT_NE(err.find(c.says), std::string::npos) << c.what << ": " << err;
        }
    }
}

TEST(Release, ValidatorWithoutItsHandbookNameIsRejected)
{
    const auto dir = copy_release("no_handbook");
    const std::string f = handbook_name("qemu");
    fs::remove(dir / f);
    fs::remove(dir / (f + ".minisig"));
    expect_rejected_naming(dir, suffix("qemu"), "handbook copy removed");
}

TEST(Release, ManifestDescribesEveryArtifact)
{
    const auto m = manifest();
    EXPECT_EQ(m.at("el_name"), "stele");
    EXPECT_EQ(m.at("el_version"), STELE_VERSION);
    EXPECT_EQ(m.at("zkvm_sdk_version"), STELE_ZKVM_VERSION);
    const std::string commit = m.at("source_commit");
    const auto head =
        run_process({STELE_GIT_PROGRAM, "-C", source_dir.string(), "rev-parse", "HEAD"});
    ASSERT_EQ(head.exit_code, 0);
    EXPECT_EQ(commit.substr(0, 40), head.out.substr(0, 40));
    EXPECT_EQ(m.at("toolchain").at("gcc"), "12.2.0");
    EXPECT_TRUE(m.at("source_date_epoch").is_number_unsigned());

    std::vector<std::string> names;
    for (const auto& a : m.at("artifacts"))
    {
        const std::string name = a.at("name");
        names.push_back(name);
        const auto bytes = read_file(release_dir / name);
        EXPECT_EQ(a.at("sha256"), sha256_hex(bytes)) << name;
        EXPECT_EQ(a.at("size"), bytes.size()) << name;
        EXPECT_EQ(a.at("target"), "riscv64im_zicclsm-unknown-none-elf");
        EXPECT_EQ(a.at("version"), STELE_VERSION);
        if (a.at("kind") == "staticlib")
            continue;
        const std::string zkvm = a.at("zkvm");
        if (a.at("kind") == "handbook")
        {
            EXPECT_EQ(name, handbook_name(zkvm));
            EXPECT_EQ(a.at("same_as"), suffix(zkvm));
        }
        else
            EXPECT_TRUE(name.ends_with(suffix(zkvm))) << name;
        EXPECT_EQ(bytes.substr(0, 4),
            "\x7f"
            "ELF")
            << name;
    }
    EXPECT_EQ(names, expected_artifacts());

    // SHA256SUMS: sha256sum's format, every artifact, the manifest and the registry.
    std::string sums;
    for (const auto& f : expected_artifacts())
        sums += sha256_hex(read_file(release_dir / f)) + "  " + f + "\n";
    for (const char* meta : {"manifest.json", "artifact-registry.json"})
        sums += sha256_hex(read_file(release_dir / meta)) + "  " + meta + "\n";
    EXPECT_EQ(read_file(release_dir / "SHA256SUMS"), sums);
}

TEST(Release, MinisignAcceptsEverySignatureAndItsTrustedComment)
{
    for (const auto& f : signed_files())
    {
        const auto r = run_process({STELE_MINISIGN, "-V", "-Q", "-p", pubkey, "-m",
            (release_dir / f).string(), "-x", (release_dir / (f + ".minisig")).string()});
        EXPECT_EQ(r.exit_code, 0) << f << ": " << r.err;
        EXPECT_EQ(r.out, "name=" + f + " sha256=" + sha256_hex(read_file(release_dir / f)) + "\n");
    }
}

TEST(Release, BothVerifiersAccept)
{
    const auto v = verify_both(release_dir);
    EXPECT_EQ(v.stele, 0) << v.stele_err;
    EXPECT_EQ(v.script, 0) << v.script_err;
    EXPECT_NE(v.stele_err.find("OK (" + std::to_string(expected_artifacts().size()) + " artifacts"),
        std::string::npos)
        << v.stele_err;
    // The key as its base64 line, as `minisign -P` takes it.
    const auto text = read_file(pubkey);
    const std::string line = text.substr(text.find('\n') + 1, 56);
    const auto w = verify_both(release_dir, line);
    EXPECT_EQ(w.stele, 0) << w.stele_err;
    EXPECT_EQ(w.script, 0) << w.script_err;
}

TEST(Release, FlippedElfByteIsRejectedAndNamed)
{
    for (const auto& f : expected_artifacts())
    {
        const auto dir = copy_release("flip_elf");
        flip_byte(dir / f, fs::file_size(dir / f) / 2);
        expect_rejected_naming(dir, f, "flipped byte in " + f);
    }
}

TEST(Release, FlippedSignatureByteIsRejectedAndNamed)
{
    for (const auto& f : one_signed_file_per_kind())
    {
        // Line 1: the file signature; 2: the trusted comment; 3: the global signature.
        for (int line : {1, 2, 3})
        {
            const auto dir = copy_release("flip_sig");
            if (line == 2)
                flip_byte(
                    dir / (f + ".minisig"), middle_of_line(read_file(dir / (f + ".minisig")), 2));
            else
                change_base64_char(dir / (f + ".minisig"), line);
            expect_rejected_naming(dir, f, f + ".minisig line " + std::to_string(line + 1));
        }
        // A byte that breaks the base64 itself.
        const auto dir = copy_release("flip_sig_b64");
        const auto sig = dir / (f + ".minisig");
        flip_byte(sig, middle_of_line(read_file(sig), 1), 0x80);
        expect_rejected_naming(dir, f, f + ".minisig non-base64 byte");
    }
}

TEST(Release, FlippedManifestOrSumsByteIsRejectedAndNamed)
{
    for (const std::string f : {"manifest.json", "SHA256SUMS"})
    {
        const auto size = fs::file_size(release_dir / f);
        for (size_t offset : {size_t{0}, size / 2, size - 2})
        {
            const auto dir = copy_release("flip_meta");
            flip_byte(dir / f, offset);
            expect_rejected_naming(dir, f, f + " byte " + std::to_string(offset));
        }
    }
}

TEST(Release, AnotherKeyIsRejected)
{
    const auto dir = stele::test::scratch_dir("release_test/other_key");
    const auto other = dir + "/other.pub";
    ASSERT_EQ(
        run_process({STELE_MINISIGN, "-G", "-W", "-p", other, "-s", dir + "/other.key"}).exit_code,
        0);
    const auto v = verify_both(release_dir, other);
    EXPECT_EQ(v.stele, 1) << v.stele_err;
    EXPECT_EQ(v.script, 1) << v.script_err;
    EXPECT_NE(v.stele_err.find("signed by another key"), std::string::npos) << v.stele_err;
}

TEST(Release, RenamedOrSwappedElfIsRejected)
{
    const auto a = expected_artifacts()[0];
    const auto b = expected_artifacts()[1];
    {
        // Swapped with their signatures: every signature is valid, but vouches for another name.
        const auto dir = copy_release("swap");
        fs::rename(dir / a, dir / "tmp");
        fs::rename(dir / b, dir / a);
        fs::rename(dir / "tmp", dir / b);
        fs::rename(dir / (a + ".minisig"), dir / "tmp");
        fs::rename(dir / (b + ".minisig"), dir / (a + ".minisig"));
        fs::rename(dir / "tmp", dir / (b + ".minisig"));
        expect_rejected_naming(dir, a, "swapped " + a + " and " + b);
    }
    {
        // Outside the naming scheme.
        const auto dir = copy_release("rename");
        fs::rename(dir / a, dir / (a + ".elf"));
        fs::rename(dir / (a + ".minisig"), dir / (a + ".elf.minisig"));
        expect_rejected_naming(dir, a + ".elf", "renamed " + a);
    }
    {
        // Inside the scheme, but not the released name.
        const auto dir = copy_release("rename_version");
        const auto renamed = a.substr(0, a.size() - 1) + "9";
        fs::rename(dir / a, dir / renamed);
        fs::rename(dir / (a + ".minisig"), dir / (renamed + ".minisig"));
        expect_rejected_naming(dir, renamed, "renamed " + a + " to " + renamed);
    }
}

TEST(Release, MissingOrExtraFilesAreRejected)
{
    const auto a = expected_artifacts()[2];
    {
        const auto dir = copy_release("missing_sig");
        fs::remove(dir / (a + ".minisig"));
        expect_rejected_naming(dir, a, "missing signature");
    }
    {
        const auto dir = copy_release("missing_elf");
        fs::remove(dir / a);
        fs::remove(dir / (a + ".minisig"));
        expect_rejected_naming(dir, a, "missing ELF");
    }
    {
        const auto dir = copy_release("extra");
        write_file(dir / "examples/README", "unsigned\n");
        expect_rejected_naming(dir, "examples/README", "extra file");
    }
}

TEST(Release, ManifestHashMismatchIsCaughtEvenWhenResigned)
{
    // A signed manifest that disagrees with the ELF (a key holder's mistake): both verifiers
    // compare the manifest with the files, not just its signature.
    const auto dir = copy_release("resigned_manifest");
    const auto a = expected_artifacts()[3];
    auto m = read_file(dir / "manifest.json");
    const auto real = sha256_hex(read_file(dir / a));
    const auto at = m.find(real);
    ASSERT_NE(at, std::string::npos);
    m.replace(at, 64, std::string(64, 'a'));
    write_file(dir / "manifest.json", m);
    resign(dir, "manifest.json");
    update_sums(dir, "manifest.json");
    expect_rejected_naming(dir, a, "manifest hash of " + a + " replaced and re-signed");
}

TEST(Release, LegacyMinisignSignaturesAreAccepted)
{
    // minisign -l: Ed25519 over the file itself rather than over its BLAKE2b-512 (the default
    // "ED" format the release uses).
    const auto dir = copy_release("legacy");
    for (const auto& f : signed_files())
    {
        const auto r = run_process({STELE_MINISIGN, "-S", "-l", "-s", seckey, "-m",
            (dir / f).string(), "-t", "name=" + f + " sha256=" + sha256_hex(read_file(dir / f))});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    const auto v = verify_both(dir);
    EXPECT_EQ(v.stele, 0) << v.stele_err;
    EXPECT_EQ(v.script, 0) << v.script_err;
    // A legacy signature over changed bytes still fails.
    flip_byte(dir / expected_artifacts()[0], 64);
    expect_rejected_naming(dir, expected_artifacts()[0], "legacy signature, flipped byte");
}

TEST(Release, ReleaseScriptTakesTheKeyFromTheEnvironment)
{
    const fs::path dir{stele::test::scratch_dir("release_test/env_key")};
    const auto r = run_process(
        {STELE_ENV_PROGRAM, "MINISIGN_SECRET_KEY=" + read_file(seckey),
            (source_dir / "scripts/release").string(), "--out", (dir / "release").string(),
            "--build-dir", (work_dir / "build").string(), "--allow-dirty"},
        {}, std::chrono::seconds{600});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto v = verify_both(dir / "release");
    EXPECT_EQ(v.stele, 0) << v.stele_err;
    EXPECT_EQ(v.script, 0) << v.script_err;
    // The same sources and toolchain: the same ELFs as the fixture's release.
    EXPECT_EQ(read_file(dir / "release/SHA256SUMS"), read_file(release_dir / "SHA256SUMS"));
}

TEST(Release, ReleaseScriptRefusesBadArguments)
{
    const auto script = (source_dir / "scripts/release").string();
    const fs::path dir{stele::test::scratch_dir("release_test/bad_args")};
    // No key at all.
    auto r = run_process({STELE_ENV_PROGRAM, "-u", "MINISIGN_SECRET_KEY", script, "--out",
        (dir / "a").string(), "--allow-dirty"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("no secret key"), std::string::npos) << r.err;
    // A file that is not a minisign key.
    write_file(dir / "not-a-key", "hello\n");
    r = run_process({script, "--key", (dir / "not-a-key").string(), "--out", (dir / "b").string(),
        "--allow-dirty"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("not a minisign secret key"), std::string::npos) << r.err;
    // An existing, non-empty output directory is never overwritten.
    fs::create_directories(dir / "c");
    write_file(dir / "c/keep", "x");
    r = run_process({script, "--key", seckey, "--out", (dir / "c").string(), "--allow-dirty"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("not empty"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(dir / "c/keep"), "x");
}

TEST(Release, QemuArtifactsRunAsReleased)
{
    // The released files themselves (mode included: qemu-riscv64 needs the x bit) run.
    const std::string q = stele::test::qemu();
    ASSERT_FALSE(q.empty()) << "qemu-riscv64 not found: run scripts/setup";
    const auto hello = release_dir / ("examples/hello-" + suffix("qemu"));
    const auto r = run_process({q, hello.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "hello from an RV64IM guest\n");
    const auto echo =
        run_process({q, (release_dir / ("examples/echo-" + suffix("qemu"))).string()}, "abc\x01");
    EXPECT_EQ(echo.exit_code, 0) << echo.err;
    EXPECT_EQ(echo.out, "abc\x01");
}

TEST(Release, PasswordProtectedKeyReadsMinisignPassword)
{
    const fs::path dir{stele::test::scratch_dir("release_test/password_key")};
    const auto key = (dir / "enc.key").string();
    const auto pub = (dir / "enc.pub").string();
    // minisign reads the new password twice from stdin when stdin is not a terminal.
    const auto g = run_process({STELE_MINISIGN, "-G", "-p", pub, "-s", key}, "s3cret\ns3cret\n");
    ASSERT_EQ(g.exit_code, 0) << g.err;
    const auto script = (source_dir / "scripts/release").string();
    const auto r = run_process(
        {STELE_ENV_PROGRAM, "MINISIGN_PASSWORD=s3cret", script, "--key", key, "--out",
            (dir / "release").string(), "--build-dir", (dir / "build").string(), "--allow-dirty"},
        {}, std::chrono::seconds{600});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto v = verify_both(dir / "release", pub);
    EXPECT_EQ(v.stele, 0) << v.stele_err;
    EXPECT_EQ(v.script, 0) << v.script_err;
    // A wrong password builds and signs nothing.
    const auto w = run_process(
        {STELE_ENV_PROGRAM, "MINISIGN_PASSWORD=wrong", script, "--key", key, "--out",
            (dir / "release2").string(), "--build-dir", (dir / "build").string(), "--allow-dirty"},
        {}, std::chrono::seconds{600});
    EXPECT_NE(w.exit_code, 0);
    EXPECT_NE(w.err.find("cannot decrypt the secret key"), std::string::npos) << w.err;
    EXPECT_FALSE(fs::exists(dir / "release2"));
}

TEST(Release, HostileFilesAreRefusedWithoutBlockingOrFollowing)
{
    const auto a = expected_artifacts()[1];
    {
        // An artifact that is a symlink to an identical copy outside the directory.
        const auto dir = copy_release("symlink_artifact");
        fs::copy_file(dir / a, dir.parent_path() / "outside");
        fs::remove(dir / a);
        fs::create_symlink(dir.parent_path() / "outside", dir / a);
        expect_rejected_naming(dir, a, "symlinked artifact");
        EXPECT_NE(verify_both(dir).script_err.find("a symbolic link"), std::string::npos);
    }
    {
        const auto dir = copy_release("symlink_loop");
        fs::create_symlink("loop", dir / "examples/loop");
        expect_rejected_naming(dir, "examples/loop", "symlink loop");
    }
    {
        // A FIFO in place of SHA256SUMS would block a reader forever.
        const auto dir = copy_release("fifo_sums");
        fs::remove(dir / "SHA256SUMS");
        ASSERT_EQ(::mkfifo((dir / "SHA256SUMS").c_str(), 0600), 0);
        expect_rejected_naming(dir, "SHA256SUMS", "FIFO named SHA256SUMS");
    }
    {
        // A signed SHA256SUMS naming files outside the directory: reported, never opened.
        const auto dir = copy_release("sums_paths");
        auto sums = read_file(dir / "SHA256SUMS");
        sums +=
            std::string(64, '0') + "  ../../etc/passwd\n" + std::string(64, '0') + "  /dev/zero\n";
        write_file(dir / "SHA256SUMS", sums);
        const auto r =
            run_process({STELE_MINISIGN, "-S", "-s", seckey, "-m", (dir / "SHA256SUMS").string(),
                "-t", "name=SHA256SUMS sha256=" + sha256_hex(read_file(dir / "SHA256SUMS"))});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        expect_rejected_naming(dir, "../../etc/passwd", "SHA256SUMS naming ../../etc/passwd");
        expect_rejected_naming(dir, "/dev/zero", "SHA256SUMS naming /dev/zero");
    }
    {
        // The same lines unsigned: the signature fails first and the list is not read.
        const auto dir = copy_release("sums_unsigned");
        write_file(dir / "SHA256SUMS",
            read_file(dir / "SHA256SUMS") + std::string(64, '0') + "  /dev/zero\n");
        const auto v = verify_both(dir);
        EXPECT_EQ(v.script, 1);
        EXPECT_NE(v.script_err.find("FAIL SHA256SUMS: bad signature"), std::string::npos)
            << v.script_err;
        EXPECT_EQ(v.script_err.find("/dev/zero"), std::string::npos) << v.script_err;
    }
}
