// The EEST zkevm fixtures (shared/fixtures/eest-zkevm-amsterdam.tar.zst), extracted once into
// the build tree, and their per-block guest input/output pairs.
#pragma once

#include <stateless/core/bytes.hpp>
#include <string>
#include <vector>

namespace stele::test
{
struct GuestRecord
{
    std::string name;       // file:test:block
    uint64_t chain_id = 0;  // config.chainid of the test
    bytes input;            // statelessInputBytes
    bytes output;           // statelessOutputBytes
};

// Extracts the archive (if not yet done) and returns every block that carries guest bytes, in
// a stable order. Fails the calling test (ADD_FAILURE) if the archive cannot be read.
std::vector<GuestRecord> load_zkevm_guest_records();
}  // namespace stele::test
