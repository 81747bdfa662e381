#include "witness_gen.hpp"

namespace stele::witness
{
ExecutionWitness to_execution_witness(const stateless::Witness& w)
{
    ExecutionWitness out;
    out.state = w.state;
    out.codes = w.codes;
    out.headers = w.headers;
    return out;
}

WitnessViews views_of(const ExecutionWitness& w)
{
    WitnessViews v;
    v.state.assign(w.state.begin(), w.state.end());
    v.codes.assign(w.codes.begin(), w.codes.end());
    v.headers.assign(w.headers.begin(), w.headers.end());
    return v;
}
}  // namespace stele::witness
