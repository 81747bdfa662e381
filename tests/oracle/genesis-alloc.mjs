// The genesis allocation of a public network (mainnet, sepolia, hoodi) from @ethereumjs/genesis,
// written as geth's genesis `alloc` object: {"0x…": {"balance", "code", "storage", "nonce"}}.
// Usage: node tests/oracle/genesis-alloc.mjs NETWORK > alloc.json   (for `stele chain import
// --chain NETWORK --genesis-alloc alloc.json`). The package stores an account either as its
// balance or as [balance, code, [[slot, value], ...], nonce].
import { getGenesis } from '@ethereumjs/genesis';

const chainIds = { mainnet: 1, sepolia: 11155111, hoodi: 560048 };
const name = process.argv[2];
if (!chainIds[name]) {
  process.stderr.write(`usage: genesis-alloc.mjs ${Object.keys(chainIds).join('|')}\n`);
  process.exit(2);
}
const accounts = getGenesis(chainIds[name]);
const alloc = {};
for (const [addr, v] of Object.entries(accounts)) {
  if (typeof v === 'string') {
    alloc[addr] = { balance: v };
    continue;
  }
  const [balance, code, storage, nonce] = v;
  const a = { balance };
  if (code && code !== '0x') a.code = code;
  if (storage && storage.length) a.storage = Object.fromEntries(storage);
  if (nonce && nonce !== '0x' && nonce !== '0x0') a.nonce = nonce;
  alloc[addr] = a;
}
process.stdout.write(JSON.stringify({ alloc }) + '\n');
