// The JSON-RPC 2.0 server over a ChainReader (the LMDB chain store): `debug_executionWitness`
// and the eth_ / debug_ read methods a witness user needs, with execution-apis error codes and
// go-ethereum's messages where the execution-apis tests pin them:
//   -32700 parse error, -32600 invalid request, -32601 unknown method, -32602 invalid params,
//   -32000 a request that cannot be served (unknown block for a state method, a witness that
//   cannot be generated, an oversized batch response).
// Unknown blocks and transactions of the block / transaction lookups answer `null`.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "chain_reader.hpp"

namespace stele::witness
{
struct RpcLimits
{
    size_t max_body = size_t{5} << 20;             // HTTP request body (go-ethereum: 5 MiB)
    size_t max_batch = 1000;                       // requests per batch (--rpc.batch-request-limit)
    size_t max_batch_response = size_t{25} << 20;  // --rpc.batch-response-max-size
};

class RpcServer
{
public:
    // `config_json` is geth's `config` object of the chain (for eth_config's fork ids and the
    // block-numbered forks the engine's schedule does not name); may be empty.
    RpcServer(const ChainReader& chain, chain::RecoverFn recover, std::string config_json,
        RpcLimits limits = {});

    // One HTTP body: a request object or a batch array. The response body, or "" when nothing
    // is answered (notifications only). Never throws.
    [[nodiscard]] std::string handle(std::string_view body) const;

    [[nodiscard]] const RpcLimits& limits() const noexcept
    {
        return m_limits;
    }

    // Serves HTTP POST on addr:port until `stop` (if given) becomes true or the process ends.
    // Returns false with a message when the address cannot be bound.
    bool serve_http(const std::string& addr, int port, std::string& error,
        void (*on_listening)(int port, void* ctx) = nullptr, void* ctx = nullptr) const;

private:
    [[nodiscard]] nlohmann::ordered_json call(const nlohmann::ordered_json& request) const;

    const ChainReader& m_chain;
    chain::RecoverFn m_recover;
    nlohmann::ordered_json m_config;  // null when not given
    RpcLimits m_limits;
};
}  // namespace stele::witness
