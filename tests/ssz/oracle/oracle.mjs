// Differential oracle for tests/ssz: @chainsafe/ssz (an independent SSZ implementation, with
// EIP-7916/7495 progressive types) decodes our encodings, re-serializes them and computes
// hash_tree_root. One JSON request per stdin line, one JSON answer per stdout line:
//   {"type": "<name>", "hex": "<ssz bytes>"} -> {"root": "<hex>", "ssz": "<hex re-serialized>"}
//                                            |  {"error": "<message>"}
// Type names: the stateless NewPayloadRequest of each schema and fork ("npr_v0_3",
// "npr_r1_<fork>"), and generic ones used by the primitive tests ("bytelist_<limit>",
// "pbytelist", "list_bytes32_<limit>", "plist_bytes32", "bitvector_<n>", "bitlist_<limit>",
// "plist_uint64", "list_uint64_<limit>", "pcontainer_u64_<n>").
import * as ssz from "@chainsafe/ssz";
import { createInterface } from "node:readline";

const u8 = new ssz.UintNumberType(1);
const u64 = new ssz.UintBigintType(8);
const u256 = new ssz.UintBigintType(32);
const b20 = new ssz.ByteVectorType(20);
const b32 = new ssz.ByteVectorType(32);
const b48 = new ssz.ByteVectorType(48);
const b96 = new ssz.ByteVectorType(96);
const b256 = new ssz.ByteVectorType(256);
const all = (n) => new Array(n).fill(true);

const withdrawal = new ssz.ContainerType({ index: u64, validatorIndex: u64, address: b20, amount: u64 });

function payloadFields(version, progressive, lim) {
  const f = {
    parentHash: b32, feeRecipient: b20, stateRoot: b32, receiptsRoot: b32, logsBloom: b256,
    prevRandao: b32, blockNumber: u64, gasLimit: u64, gasUsed: u64, timestamp: u64,
    extraData: new ssz.ByteListType(32), baseFeePerGas: u256, blockHash: b32,
    transactions: progressive
      ? new ssz.ProgressiveListCompositeType(new ssz.ProgressiveByteListType())
      : new ssz.ListCompositeType(new ssz.ByteListType(lim.txBytes), lim.txs),
  };
  if (version >= 2)
    f.withdrawals = progressive
      ? new ssz.ProgressiveListCompositeType(withdrawal)
      : new ssz.ListCompositeType(withdrawal, lim.withdrawals);
  if (version >= 3) {
    f.blobGasUsed = u64;
    f.excessBlobGas = u64;
  }
  if (version >= 4) {
    f.blockAccessList = progressive ? new ssz.ProgressiveByteListType() : new ssz.ByteListType(lim.bal);
    f.slotNumber = u64;
  }
  return f;
}

function payloadType(version, progressive, lim) {
  const f = payloadFields(version, progressive, lim);
  return progressive ? new ssz.ProgressiveContainerType(f, all(Object.keys(f).length)) : new ssz.ContainerType(f);
}

const limitsV03 = { txs: 1 << 20, txBytes: 1 << 30, withdrawals: 1 << 16, bal: 1 << 24 };

const forks = { paris: 0x0e, shanghai: 0x0f, cancun: 0x10, prague: 0x11, osaka: 0x12, bpo1: 0x13, bpo2: 0x14, amsterdam: 0x15 };

function typedRequests(gloas) {
  const plist = (t) => new ssz.ProgressiveListCompositeType(t);
  const f = {
    deposits: plist(new ssz.ContainerType({ pubkey: b48, withdrawalCredentials: b32, amount: u64, signature: b96, index: u64 })),
    withdrawals: plist(new ssz.ContainerType({ sourceAddress: b20, validatorPubkey: b48, amount: u64 })),
    consolidations: plist(new ssz.ContainerType({ sourceAddress: b20, sourcePubkey: b48, targetPubkey: b48 })),
  };
  if (gloas) {
    f.builderDeposits = plist(new ssz.ContainerType({ pubkey: b48, withdrawalCredentials: b32, amount: u64, signature: b96 }));
    f.builderExits = plist(new ssz.ContainerType({ sourceAddress: b20, pubkey: b48 }));
  }
  return new ssz.ProgressiveContainerType(f, all(Object.keys(f).length));
}

function nprR1(forkName) {
  const fork = forks[forkName];
  const version = fork >= forks.amsterdam ? 4 : fork >= forks.cancun ? 3 : fork >= forks.shanghai ? 2 : 1;
  const f = { executionPayload: payloadType(version, true, null) };
  if (fork >= forks.cancun) {
    f.versionedHashes = new ssz.ProgressiveListCompositeType(b32);
    f.parentBeaconBlockRoot = b32;
  }
  if (fork >= forks.prague) f.executionRequests = typedRequests(fork >= forks.amsterdam);
  return new ssz.ContainerType(f);
}

const nprV03 = new ssz.ContainerType({
  executionPayload: payloadType(4, false, limitsV03),
  versionedHashes: new ssz.ListCompositeType(b32, 4096),
  parentBeaconBlockRoot: b32,
  executionRequests: new ssz.ListCompositeType(new ssz.ByteListType(1 << 23), 16),
});

const cache = new Map();
function typeFor(name) {
  if (cache.has(name)) return cache.get(name);
  let t;
  let m;
  if (name === "npr_v0_3") t = nprV03;
  else if ((m = name.match(/^npr_r1_(\w+)$/))) t = nprR1(m[1]);
  else if ((m = name.match(/^bytelist_(\d+)$/))) t = new ssz.ByteListType(Number(m[1]));
  else if (name === "pbytelist") t = new ssz.ProgressiveByteListType();
  else if ((m = name.match(/^bytevector_(\d+)$/))) t = new ssz.ByteVectorType(Number(m[1]));
  else if ((m = name.match(/^list_bytes32_(\d+)$/))) t = new ssz.ListCompositeType(b32, Number(m[1]));
  else if (name === "plist_bytes32") t = new ssz.ProgressiveListCompositeType(b32);
  else if ((m = name.match(/^list_uint64_(\d+)$/))) t = new ssz.ListBasicType(u64, Number(m[1]));
  else if (name === "plist_uint64") t = new ssz.ProgressiveListBasicType(u64);
  else if ((m = name.match(/^bitvector_(\d+)$/))) t = new ssz.BitVectorType(Number(m[1]));
  else if ((m = name.match(/^bitlist_(\d+)$/))) t = new ssz.BitListType(Number(m[1]));
  else if ((m = name.match(/^pcontainer_u64_(\d+)$/))) {
    const f = {};
    for (let i = 0; i < Number(m[1]); i++) f["f" + i] = u64;
    t = new ssz.ProgressiveContainerType(f, all(Number(m[1])));
  } else if ((m = name.match(/^list_bytelist_(\d+)_(\d+)$/)))
    t = new ssz.ListCompositeType(new ssz.ByteListType(Number(m[2])), Number(m[1]));
  else throw new Error("unknown type " + name);
  cache.set(name, t);
  return t;
}

const hex = (b) => Buffer.from(b).toString("hex");
void u8;

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  let answer;
  try {
    const req = JSON.parse(line);
    const t = typeFor(req.type);
    const value = t.deserialize(Uint8Array.from(Buffer.from(req.hex, "hex")));
    answer = { root: hex(t.hashTreeRoot(value)), ssz: hex(t.serialize(value)) };
  } catch (e) {
    answer = { error: String(e && e.message ? e.message : e) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
