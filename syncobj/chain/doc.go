// Package chain models the kernel's dma_fence_chain: the node type that turns
// a DRM syncobj into a timeline. Each node wraps one fence (the work for one
// timeline point) and points at the previous node; it signals once its own
// fence and every earlier link have signalled, which is what lets a waiter
// on point N ignore how the points before it were submitted.
//
// Invariants, as in drivers/dma-buf/dma-fence-chain.c:
//
//   - A node joins the timeline of its predecessor only when the predecessor
//     is a chain node and the new seqno is later (64-bit comparison; chain
//     seqnos never wrap at 32 bits). Otherwise it starts a new timeline and
//     its seqno is raised to the predecessor's, so seqnos never go
//     backwards; PrevSeqno is then 0. FindSeqno and the syncobj QUERY stop
//     at a timeline change, which is how unordered submissions show up.
//   - Walking a chain garbage-collects it: a link whose fence has signalled
//     is unhooked and its predecessor spliced in, so long-lived timelines
//     stay short and a point whose link is gone counts as signalled
//     (FindSeqno then returns a nil fence, never an error).
//   - Signalling is lazy: a node arms one callback on the first unsignalled
//     fence down the chain only once somebody waits on it, and re-arms from
//     that callback; polling walks the chain.
//
// One deliberate difference from the kernel: every node's fence has a
// fence.Context of its own, and the chain's timeline is kept beside it
// (Context returns it). Nodes signal lazily, so a later point can signal
// before an earlier one that nobody waited on; the kernel allows that, but
// package fence reports any out-of-order signal on a shared context. The
// timeline identity the kernel reads from fence->context is what FindSeqno,
// QUERY and Context use here.
//
// References follow the kernel: New takes over one reference to prev and to
// f, and drops them when the node is released; Walk and FindSeqno return
// new references that the caller puts.
package chain
