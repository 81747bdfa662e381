#include "rpc_client.hpp"

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <thread>

namespace stele::witness
{
namespace
{
using json = nlohmann::json;

bool mutable_params(const json& p)
{
    if (p.is_string())
    {
        const auto& s = p.get_ref<const std::string&>();
        return s == "latest" || s == "pending" || s == "safe" || s == "finalized";
    }
    if (p.is_array() || p.is_object())
        for (const auto& v : p)
            if (mutable_params(v))
                return true;
    return false;
}

std::string cache_key(const std::string& method, const json& params)
{
    const std::string text = method + params.dump();
    const hash256 h = keccak256({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
    return to_hex(h.view());
}
}  // namespace

std::unique_ptr<RpcClient> RpcClient::open(
    const std::string& url, RpcClientOptions options, std::string& error)
{
    const size_t scheme = url.find("://");
    if (scheme == std::string::npos ||
        (url.compare(0, scheme, "http") != 0 && url.compare(0, scheme, "https") != 0))
    {
        error = "--rpc " + url + ": want http://host[:port][/path] or https://…";
        return nullptr;
    }
    const size_t path = url.find('/', scheme + 3);
    std::unique_ptr<RpcClient> c{new RpcClient};
    c->m_base = url.substr(0, path);
    c->m_path = path == std::string::npos ? "/" : url.substr(path);
    c->m_options = options;
    if (!options.cache_dir.empty())
    {
        std::error_code ec;
        std::filesystem::create_directories(options.cache_dir, ec);
        if (ec)
        {
            error = options.cache_dir + ": " + ec.message();
            return nullptr;
        }
    }
    return c;
}

RpcClient::~RpcClient() = default;

bool RpcClient::post(const std::string& body, std::string& response, RpcCallError& error)
{
    int delay = m_options.backoff_ms;
    for (int attempt = 0; attempt <= m_options.retries; ++attempt)
    {
        if (attempt > 0)
        {
            ++m_stats.retries;
            std::this_thread::sleep_for(std::chrono::milliseconds{delay});
            delay = std::min(delay * 2, 5000);
        }
        httplib::Client http{m_base};
        http.set_connection_timeout(m_options.timeout_seconds, 0);
        http.set_read_timeout(m_options.timeout_seconds, 0);
        http.set_write_timeout(m_options.timeout_seconds, 0);
        ++m_stats.requests;
        const auto r = http.Post(m_path, body, "application/json");
        if (!r)
        {
            error = {RpcCallError::transport, 0,
                std::string{"no answer from "} + m_base + ": " + httplib::to_string(r.error())};
            continue;
        }
        m_stats.bytes += r->body.size();
        if (r->status == 429 || r->status >= 500)
        {
            error = {RpcCallError::transport, r->status,
                "HTTP " + std::to_string(r->status) + " from " + m_base};
            continue;
        }
        if (r->status != 200)
        {
            error = {RpcCallError::transport, r->status,
                "HTTP " + std::to_string(r->status) + " from " + m_base};
            return false;
        }
        if (r->body.size() > m_options.max_response)
        {
            error = {RpcCallError::invalid, 0, "response larger than the limit"};
            return false;
        }
        response = r->body;
        return true;
    }
    error.message += " (after " + std::to_string(m_options.retries) + " retries)";
    return false;
}

bool RpcClient::cached(const std::string& method, const json& params, json& result)
{
    if (m_options.cache_dir.empty() || mutable_params(params))
        return false;
    std::ifstream in{m_options.cache_dir + "/" + cache_key(method, params) + ".json"};
    if (!in)
        return false;
    const json c = json::parse(in, nullptr, false);
    if (c.is_discarded())
        return false;
    ++m_stats.cache_hits;
    result = c;
    return true;
}

void RpcClient::store(const std::string& method, const json& params, const json& result)
{
    if (m_options.cache_dir.empty() || mutable_params(params) || result.is_null())
        return;
    const std::string path = m_options.cache_dir + "/" + cache_key(method, params) + ".json";
    const std::string tmp = path + ".tmp" + std::to_string(m_id++);
    {
        std::ofstream out{tmp, std::ios::trunc};
        out << result.dump();
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);  // atomic: a killed run leaves no half file
}

namespace
{
// One element of a JSON-RPC answer → result or error.
bool take_answer(const json& resp, const std::string& method, json& result, RpcCallError& error)
{
    if (const auto e = resp.find("error"); e != resp.end() && !e->is_null())
    {
        error = {RpcCallError::rpc, e->is_object() ? e->value("code", 0) : 0,
            method + ": " +
                (e->is_object() ? e->value("message", std::string{"error"}) : e->dump())};
        return false;
    }
    result = resp["result"];
    return true;
}
}  // namespace

bool RpcClient::call(
    const std::string& method, const json& params, json& result, RpcCallError& error)
{
    error = {};
    if (cached(method, params, result))
        return true;
    const json req = {{"jsonrpc", "2.0"}, {"id", m_id++}, {"method", method}, {"params", params}};
    std::string text;
    // An answer that is not JSON-RPC (truncated, wrong JSON) counts as a transport failure and is
    // retried too: a proxy or an overloaded node produces those.
    for (int attempt = 0; attempt <= m_options.retries; ++attempt)
    {
        if (!post(req.dump(), text, error))
            return false;
        const json resp = json::parse(text, nullptr, false);
        if (resp.is_discarded() || !resp.is_object() ||
            (!resp.contains("result") && !resp.contains("error")))
        {
            error = {RpcCallError::invalid, 0,
                method + ": the answer is not a JSON-RPC response: " + text.substr(0, 120)};
            ++m_stats.retries;
            continue;
        }
        if (!take_answer(resp, method, result, error))
            return false;
        store(method, params, result);
        return true;
    }
    return false;
}

bool RpcClient::batch(std::vector<Call>& calls, size_t first, size_t n)
{
    json body = json::array();
    std::vector<uint64_t> ids;
    for (size_t i = first; i < first + n; ++i)
    {
        ids.push_back(m_id++);
        body.push_back({{"jsonrpc", "2.0"}, {"id", ids.back()}, {"method", calls[i].method},
            {"params", calls[i].params}});
    }
    for (int attempt = 0; attempt <= m_options.retries; ++attempt)
    {
        std::string text;
        RpcCallError e;
        if (!post(body.dump(), text, e))
        {
            for (size_t i = first; i < first + n; ++i)
                calls[i].error = e;
            return true;  // answered (with the transport error) for every call
        }
        const json resp = json::parse(text, nullptr, false);
        if (resp.is_discarded())
        {
            ++m_stats.retries;
            continue;  // truncated: ask again
        }
        if (!resp.is_array())
            return false;  // the node answers batches with one error: no batches
        std::map<uint64_t, const json*> by_id;
        for (const json& r : resp)
            if (r.is_object() && r.contains("id") && r["id"].is_number_unsigned())
                by_id[r["id"].get<uint64_t>()] = &r;
        bool complete = true;
        for (size_t k = 0; k < n; ++k)
        {
            const auto it = by_id.find(ids[k]);
            complete = complete && it != by_id.end() &&
                       (it->second->contains("result") || it->second->contains("error"));
        }
        if (!complete)
        {
            ++m_stats.retries;
            continue;
        }
        for (size_t k = 0; k < n; ++k)
        {
            Call& c = calls[first + k];
            c.ok = take_answer(*by_id[ids[k]], c.method, c.result, c.error);
            if (c.ok)
                store(c.method, c.params, c.result);
        }
        return true;
    }
    for (size_t i = first; i < first + n; ++i)
        calls[i].error = {RpcCallError::invalid, 0,
            calls[i].method + ": no complete answer to the batch after the retries"};
    return true;
}

void RpcClient::call_all(std::vector<Call>& calls)
{
    std::vector<size_t> todo;
    for (size_t i = 0; i < calls.size(); ++i)
    {
        calls[i].error = {};
        calls[i].ok = cached(calls[i].method, calls[i].params, calls[i].result);
        if (!calls[i].ok)
            todo.push_back(i);
    }
    // Work in the order of `todo`, grouped in batches of adjacent calls.
    std::vector<Call> pending;
    pending.reserve(todo.size());
    for (const size_t i : todo)
        pending.push_back(std::move(calls[i]));
    const size_t per = static_cast<size_t>(std::max(1, m_options.batch));
    std::atomic<size_t> next{0};
    const auto worker = [&]
    {
        for (size_t b = next++; b * per < pending.size(); b = next++)
        {
            const size_t first = b * per, n = std::min(per, pending.size() - first);
            if (n > 1 && !m_no_batches && batch(pending, first, n))
                continue;
            if (n > 1)
                m_no_batches = true;
            for (size_t i = first; i < first + n; ++i)
                pending[i].ok =
                    call(pending[i].method, pending[i].params, pending[i].result, pending[i].error);
        }
    };
    std::vector<std::thread> pool;
    const size_t batches = (pending.size() + per - 1) / per;
    const size_t n =
        std::min<size_t>(static_cast<size_t>(std::max(1, m_options.concurrency)), batches);
    for (size_t i = 1; i < n; ++i)
        pool.emplace_back(worker);
    worker();
    for (auto& t : pool)
        t.join();
    for (size_t k = 0; k < todo.size(); ++k)
        calls[todo[k]] = std::move(pending[k]);
}
}  // namespace stele::witness
