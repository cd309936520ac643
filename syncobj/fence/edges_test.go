package fence

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seq32Ops is a fence kind with wrapping 32-bit seqnos, as sw_sync's.
type seq32Ops struct{ testOps }

func (seq32Ops) Seqno32() bool { return true }

// dma_fence_context_alloc hands out a block of consecutive ids that no
// earlier or later allocation shares.
func TestContextIDsNeverOverlap(t *testing.T) {
	before := AllocContext().ID()
	cs, err := AllocContexts(3)
	require.NoError(t, err)
	after := AllocContext().ID()
	ids := []uint64{before, cs[0].ID(), cs[1].ID(), cs[2].ID(), after}
	for i := 1; i < len(ids); i++ {
		assert.Greater(t, ids[i], ids[i-1], "ids %v", ids)
	}
	assert.Equal(t, before+3, cs[2].ID(), "the block follows the one before it")
}

// __dma_fence_is_later: a seqno is not later than itself, in either width,
// and a 32-bit one wraps.
func TestIsLaterBoundaries(t *testing.T) {
	cases := []struct {
		name string
		ops  Ops
		a, b uint64
		want bool
	}{
		{"64-equal", testOps{}, 7, 7, false},
		{"64-later", testOps{}, 8, 7, true},
		{"64-earlier", testOps{}, 6, 7, false},
		{"32-equal", seq32Ops{}, 7, 7, false},
		{"32-later", seq32Ops{}, 8, 7, true},
		{"32-wrapped-later", seq32Ops{}, 1, 0xffffffff, true},
		{"32-high-bits-ignored", seq32Ops{}, 1<<32 | 5, 5, false},
		{"32-half-way", seq32Ops{}, 0x80000000, 0, false}, // (int32)0x80000000 < 0
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := AllocContext()
			assert.Equal(t, tc.want, IsLater(New(tc.ops, c, tc.a), New(tc.ops, c, tc.b)))
		})
	}
}

// A seqno above the highest signalled one is not born late: its signal
// after a later seqno is still an order violation. A seqno that was
// already passed is born late and never reported.
func TestOrderCheckAroundTheLastSignalled(t *testing.T) {
	w := captureWarnings(t)
	before := WarningCount(WarnOutOfOrder) // kind 0, the lower edge of the counters
	c := AllocContext()
	require.NoError(t, New(testOps{}, c, 5).Signal())
	f6 := New(testOps{}, c, 6) // one above the last signalled: pending, not passed
	require.NoError(t, New(testOps{}, c, 7).Signal())
	require.NoError(t, f6.Signal())
	require.Equal(t, []WarningKind{WarnOutOfOrder}, w.kinds())
	assert.Equal(t, before+1, WarningCount(WarnOutOfOrder))

	// Signalling in order keeps the context's record moving: after 1 and
	// 3, a late 2 is reported.
	w2 := captureWarnings(t)
	c2 := AllocContext()
	f2 := New(testOps{}, c2, 2)
	require.NoError(t, New(testOps{}, c2, 1).Signal())
	require.NoError(t, New(testOps{}, c2, 3).Signal())
	require.NoError(t, f2.Signal())
	assert.Equal(t, []WarningKind{WarnOutOfOrder}, w2.kinds())
}

// Invalid arguments give no index: -1, as callers test for.
func TestWaitAnyInvalidIndex(t *testing.T) {
	f := New(testOps{}, nil, 1)
	for _, tc := range []struct {
		name    string
		fences  []*Fence
		timeout time.Duration
	}{
		{"empty", nil, time.Second},
		{"negative-timeout", []*Fence{f}, -1},
		{"nil-member", []*Fence{f, nil}, time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idx, rem, err := WaitAny(nil, tc.fences, tc.timeout)
			require.ErrorIs(t, err, syscall.EINVAL)
			assert.Equal(t, -1, idx)
			assert.Zero(t, rem)
		})
	}
}

// A wait that blocked and then ended, by the signal or by cancellation,
// reports what is left of its timeout: all of it for Forever, less than
// was given otherwise.
func TestBlockedWaitRemaining(t *testing.T) {
	for _, timeout := range []time.Duration{Forever, time.Hour} {
		for _, cancelled := range []bool{false, true} {
			f := New(testOps{}, nil, 1)
			ctx, cancel := context.WithCancel(context.Background())
			end := func() { _ = f.Signal() }
			if cancelled {
				end = cancel
			}
			// The wait blocks first: the wake-up comes a millisecond later.
			timer := time.AfterFunc(time.Millisecond, end)
			rem, err := f.Wait(ctx, timeout)
			timer.Stop()
			cancel()
			if cancelled {
				require.ErrorIs(t, err, ERESTARTSYS)
			} else {
				require.NoError(t, err)
			}
			if timeout == Forever {
				assert.Equal(t, Forever, rem)
			} else {
				assert.Less(t, rem, timeout, "a millisecond or more has passed")
				assert.Greater(t, rem, timeout-time.Minute)
			}
		}
	}
}

// MaxErrno itself is an errno a container passes on from a member.
func TestArrayPassesOnMaxErrno(t *testing.T) {
	m := New(testOps{}, nil, 1)
	arr, err := NewArray([]*Fence{m}, nil, 1, false)
	require.NoError(t, err)
	arr.EnableSignaling()
	require.NoError(t, m.SetError(MaxErrno))
	require.NoError(t, m.Signal())
	assert.Equal(t, syscall.Errno(MaxErrno), arr.Error())
}

// Leaves follows containers MaxUnwrapDepth levels down and yields what
// lies deeper as it is, so a cycle or a runaway nest still ends.
func TestLeavesDepthBound(t *testing.T) {
	leaf := New(testOps{}, nil, 1)
	nest := []*Fence{leaf}
	for range MaxUnwrapDepth + 2 {
		arr, err := NewArray([]*Fence{nest[len(nest)-1]}, nil, 1, false)
		require.NoError(t, err)
		nest = append(nest, arr)
	}
	top := nest[len(nest)-1]
	var got []*Fence
	for f := range Leaves(top) {
		got = append(got, f)
	}
	// top is depth 0; nest[1], a container at depth MaxUnwrapDepth+1, is
	// yielded unopened.
	require.Len(t, got, 1)
	assert.Same(t, nest[1], got[0], "the deepest container, not the leaf")

	shallow := nest[MaxUnwrapDepth+1] // the leaf at depth MaxUnwrapDepth+1
	got = got[:0]
	for f := range Leaves(shallow) {
		got = append(got, f)
	}
	assert.Equal(t, []*Fence{leaf}, got, "containers down to depth MaxUnwrapDepth are opened")
}

// A kind outside the enumeration counts nothing, and asking does not
// panic.
func TestWarningCountOutOfRange(t *testing.T) {
	assert.Zero(t, WarningCount(numWarningKinds))
	assert.Zero(t, WarningCount(-1))
}
