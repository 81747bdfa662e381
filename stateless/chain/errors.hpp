// Why a block or transaction is rejected. The names are the EEST exception names
// (execution-spec-tests `exceptions.py`), so a rejection compares string-for-string with a
// fixture's `expectException`.
#pragma once

#include <cstdint>
#include <string_view>

namespace stele::chain
{
#define STELE_CHAIN_ERRORS(X)                                                                      \
    X(ok, "")                                                                                      \
    /* transactions */                                                                             \
    X(insufficient_account_funds, "TransactionException.INSUFFICIENT_ACCOUNT_FUNDS")               \
    X(intrinsic_gas_too_low, "TransactionException.INTRINSIC_GAS_TOO_LOW")                         \
    X(intrinsic_gas_below_floor, "TransactionException.INTRINSIC_GAS_BELOW_FLOOR_GAS_COST")        \
    X(sender_not_eoa, "TransactionException.SENDER_NOT_EOA")                                       \
    X(gas_allowance_exceeded, "TransactionException.GAS_ALLOWANCE_EXCEEDED")                       \
    X(nonce_too_low, "TransactionException.NONCE_MISMATCH_TOO_LOW")                                \
    X(nonce_too_high, "TransactionException.NONCE_MISMATCH_TOO_HIGH")                              \
    X(nonce_is_max, "TransactionException.NONCE_IS_MAX")                                           \
    X(insufficient_max_fee, "TransactionException.INSUFFICIENT_MAX_FEE_PER_GAS")                   \
    X(priority_greater_than_max_fee, "TransactionException.PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS") \
    X(initcode_size_exceeded, "TransactionException.INITCODE_SIZE_EXCEEDED")                       \
    X(gas_limit_exceeds_maximum, "TransactionException.GAS_LIMIT_EXCEEDS_MAXIMUM")                 \
    X(gaslimit_price_product_overflow, "TransactionException.GASLIMIT_PRICE_PRODUCT_OVERFLOW")     \
    X(type_1_pre_fork, "TransactionException.TYPE_1_TX_PRE_FORK")                                  \
    X(type_2_pre_fork, "TransactionException.TYPE_2_TX_PRE_FORK")                                  \
    X(type_3_pre_fork, "TransactionException.TYPE_3_TX_PRE_FORK")                                  \
    X(type_4_pre_fork, "TransactionException.TYPE_4_TX_PRE_FORK")                                  \
    X(type_3_zero_blobs, "TransactionException.TYPE_3_TX_ZERO_BLOBS")                              \
    X(type_3_invalid_versioned_hash, "TransactionException.TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH") \
    X(type_3_blob_count_exceeded, "TransactionException.TYPE_3_TX_BLOB_COUNT_EXCEEDED")            \
    X(type_3_max_blob_gas_exceeded,                                                                \
        "TransactionException.TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED")                          \
    X(type_3_contract_creation, "TransactionException.TYPE_3_TX_CONTRACT_CREATION")                \
    X(type_3_with_full_blobs, "TransactionException.TYPE_3_TX_WITH_FULL_BLOBS")                    \
    X(insufficient_max_fee_per_blob_gas, "TransactionException.INSUFFICIENT_MAX_FEE_PER_BLOB_GAS") \
    X(type_4_empty_authorization_list, "TransactionException.TYPE_4_EMPTY_AUTHORIZATION_LIST")     \
    X(type_4_contract_creation, "TransactionException.TYPE_4_TX_CONTRACT_CREATION")                \
    X(invalid_signature, "TransactionException.INVALID_SIGNATURE_VRS")                             \
    X(invalid_chain_id, "TransactionException.INVALID_CHAINID")                                    \
    X(tx_rlp, "TransactionException.RLP_INVALID_VALUE")                                            \
    /* blocks */                                                                                   \
    X(rlp_structures_encoding, "BlockException.RLP_STRUCTURES_ENCODING")                           \
    X(incorrect_block_format, "BlockException.INCORRECT_BLOCK_FORMAT")                             \
    X(invalid_block_hash, "BlockException.INVALID_BLOCK_HASH")                                     \
    X(unknown_parent, "BlockException.UNKNOWN_PARENT")                                             \
    X(invalid_block_number, "BlockException.INVALID_BLOCK_NUMBER")                                 \
    X(invalid_block_timestamp, "BlockException.INVALID_BLOCK_TIMESTAMP_OLDER_THAN_PARENT")         \
    X(invalid_gaslimit, "BlockException.INVALID_GASLIMIT")                                         \
    X(gas_used_overflow, "BlockException.GAS_USED_OVERFLOW")                                       \
    X(invalid_gas_used, "BlockException.INCORRECT_BLOCK_GAS_USED")                                 \
    X(extra_data_too_big, "BlockException.EXTRA_DATA_TOO_BIG")                                     \
    X(invalid_basefee, "BlockException.INVALID_BASEFEE_PER_GAS")                                   \
    X(incorrect_excess_blob_gas, "BlockException.INCORRECT_EXCESS_BLOB_GAS")                       \
    X(incorrect_blob_gas_used, "BlockException.INCORRECT_BLOB_GAS_USED")                           \
    X(blob_gas_used_above_limit, "BlockException.BLOB_GAS_USED_ABOVE_LIMIT")                       \
    X(invalid_difficulty, "BlockException.INVALID_DIFFICULTY")                                     \
    X(invalid_nonce, "BlockException.INVALID_NONCE")                                               \
    X(invalid_uncles_hash, "BlockException.INVALID_UNCLES_HASH")                                   \
    X(uncles_post_merge, "BlockException.IMPORT_IMPOSSIBLE_UNCLES_OVER_PARIS")                     \
    X(invalid_transactions_root, "BlockException.INVALID_TRANSACTIONS_ROOT")                       \
    X(invalid_receipts_root, "BlockException.INVALID_RECEIPTS_ROOT")                               \
    X(invalid_log_bloom, "BlockException.INVALID_LOG_BLOOM")                                       \
    X(invalid_state_root, "BlockException.INVALID_STATE_ROOT")                                     \
    X(invalid_withdrawals_root, "BlockException.INVALID_WITHDRAWALS_ROOT")                         \
    X(invalid_requests, "BlockException.INVALID_REQUESTS")                                         \
    X(invalid_deposit_event_layout, "BlockException.INVALID_DEPOSIT_EVENT_LAYOUT")                 \
    X(system_contract_empty, "BlockException.SYSTEM_CONTRACT_EMPTY")                               \
    X(system_contract_call_failed, "BlockException.SYSTEM_CONTRACT_CALL_FAILED")                   \
    X(invalid_versioned_hashes, "BlockException.INVALID_VERSIONED_HASHES")                         \
    X(rlp_block_limit_exceeded, "BlockException.RLP_BLOCK_LIMIT_EXCEEDED")                         \
    X(invalid_block_access_list, "BlockException.INVALID_BLOCK_ACCESS_LIST")                       \
    X(invalid_bal_hash, "BlockException.INVALID_BAL_HASH")                                         \
    X(bal_gas_limit_exceeded, "BlockException.BLOCK_ACCESS_LIST_GAS_LIMIT_EXCEEDED")               \
    X(missing_precompile, "stele.NEEDS_MISSING_PRECOMPILE")

enum class Error : uint8_t
{
#define STELE_X(name, str) name,
    STELE_CHAIN_ERRORS(STELE_X)
#undef STELE_X
};

[[nodiscard]] constexpr std::string_view error_name(Error e) noexcept
{
    constexpr std::string_view names[] = {
#define STELE_X(name, str) str,
        STELE_CHAIN_ERRORS(STELE_X)
#undef STELE_X
    };
    return names[static_cast<uint8_t>(e)];
}
}  // namespace stele::chain
