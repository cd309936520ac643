package chain_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/syncobj/chain"
	"github.com/headwaywl/headway/syncobj/fence"
)

type ops struct{}

func (ops) DriverName() string                 { return "test" }
func (ops) TimelineName(f *fence.Fence) string { return "t" }

// captureWarnings counts fence warnings for the duration of a test.
func captureWarnings(t *testing.T) *[]fence.Warning {
	t.Helper()
	var got []fence.Warning
	prev := fence.SetWarningHandler(func(w fence.Warning) { got = append(got, w) })
	t.Cleanup(func() { fence.SetWarningHandler(prev) })
	return &got
}

// build appends one chain node per point, each wrapping a fresh pending
// fence, and returns the head and the wrapped fences.
func build(points ...uint64) (*fence.Fence, []*fence.Fence) {
	var head *fence.Fence
	var fs []*fence.Fence
	for _, p := range points {
		f := fence.New(ops{}, nil, p)
		fs = append(fs, f)
		head = chain.New(head, f.Get(), p)
	}
	return head, fs
}

func TestContextAndPrevSeqno(t *testing.T) {
	tests := []struct {
		name       string
		prevChain  bool
		prevSeqno  uint64
		seqno      uint64
		sameTL     bool
		wantSeqno  uint64
		wantPrevSq uint64
	}{
		{"first link", false, 0, 1, false, 1, 0},
		{"later point continues the timeline", true, 1, 2, true, 2, 1},
		{"equal point starts a new timeline", true, 5, 5, false, 5, 0},
		{"earlier point is raised to the head", true, 5, 3, false, 5, 0},
		{"above 32 bits still later", true, 1<<32 - 2, 1 << 32, true, 1 << 32, 1<<32 - 2},
		{"plain predecessor starts a timeline", false, 7, 9, false, 9, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var prev *fence.Fence
			if tc.prevChain {
				prev = chain.New(nil, fence.NewSignaled(), tc.prevSeqno)
			} else if tc.prevSeqno != 0 {
				prev = fence.New(ops{}, nil, tc.prevSeqno)
			}
			var prevTL *fence.Context
			if prev != nil {
				prevTL = chain.Context(prev)
				prev.Get()
			}
			n := chain.New(prev, fence.NewSignaled(), tc.seqno)
			assert.True(t, chain.IsChain(n))
			assert.Equal(t, tc.wantSeqno, n.Seqno())
			assert.Equal(t, tc.wantPrevSq, chain.PrevSeqno(n))
			assert.Equal(t, tc.sameTL, prevTL != nil && chain.Context(n) == prevTL)
		})
	}
}

func TestNonChainHelpers(t *testing.T) {
	f := fence.New(ops{}, nil, 3)
	assert.False(t, chain.IsChain(f))
	assert.Same(t, f, chain.Contained(f))
	assert.Zero(t, chain.PrevSeqno(f))
	assert.Same(t, f.Context(), chain.Context(f))
	assert.Nil(t, chain.Walk(f))
	_, err := chain.FindSeqno(f, 1)
	assert.ErrorIs(t, err, syscall.EINVAL)
	got, err := chain.FindSeqno(f, 0)
	require.NoError(t, err)
	assert.Same(t, f, got, "seqno 0 is a no-op on any fence")
	_, err = chain.FindSeqno(nil, 1)
	assert.ErrorIs(t, err, syscall.EINVAL)
}

func TestFindSeqno(t *testing.T) {
	head, fs := build(1, 2, 3, 4)
	tests := []struct {
		seqno   uint64
		want    uint64 // seqno of the node found; 0: nil
		wantErr bool
	}{
		{0, 4, false}, {1, 1, false}, {2, 2, false}, {4, 4, false}, {5, 0, true},
	}
	for _, tc := range tests {
		got, err := chain.FindSeqno(head, tc.seqno)
		if tc.wantErr {
			assert.ErrorIs(t, err, syscall.EINVAL, "seqno %d", tc.seqno)
			continue
		}
		require.NoError(t, err, "seqno %d", tc.seqno)
		require.NotNil(t, got)
		assert.Equal(t, tc.want, got.Seqno(), "seqno %d", tc.seqno)
		got.Put()
	}
	// Signalling 1 and 2 lets a walk collect them: point 2 then resolves
	// to nil (already signalled), not to an error.
	require.NoError(t, fs[0].Signal())
	require.NoError(t, fs[1].Signal())
	got, err := chain.FindSeqno(head, 2)
	require.NoError(t, err)
	assert.Nil(t, got)
	got, err = chain.FindSeqno(head, 3)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), got.Seqno())
	got.Put()
}

func TestFindSeqnoStopsAtTimelineChange(t *testing.T) {
	// 1, 5, then 3: the third link starts a new timeline at seqno 5.
	head, _ := build(1, 5, 3)
	assert.Equal(t, uint64(5), head.Seqno())
	assert.Zero(t, chain.PrevSeqno(head))
	got, err := chain.FindSeqno(head, 2)
	require.NoError(t, err)
	assert.Same(t, head, got, "the head covers every point of its own timeline")
	got.Put()
}

func TestWalkCollectsSignalledLinks(t *testing.T) {
	head, fs := build(1, 2, 3)
	for _, f := range fs[:2] {
		require.NoError(t, f.Signal())
	}
	// Children walks the chain; the signalled links 1 and 2 are gone.
	got := fence.Unwrap(head)
	require.Len(t, got, 1)
	assert.Same(t, fs[2], got[0])
	assert.Nil(t, chain.Walk(head))
}

func TestUnwrapListsContainedFences(t *testing.T) {
	head, fs := build(1, 2, 3)
	assert.Equal(t, []*fence.Fence{fs[2], fs[1], fs[0]}, fence.Unwrap(head))
	assert.Same(t, fs[2], chain.Contained(head))
}

func TestSignalsAfterAllLinks(t *testing.T) {
	warns := captureWarnings(t)
	head, fs := build(1, 2, 3)
	_, err := head.Wait(nil, 0)
	require.ErrorIs(t, err, syscall.ETIME)
	// Out of order: the head's own fence first, the oldest last.
	for _, i := range []int{2, 0} {
		require.NoError(t, fs[i].Signal())
		assert.False(t, head.IsSignaled(), "link %d signalled, others pending", i)
	}
	done := make(chan error, 1)
	go func() {
		_, err := head.Wait(context.Background(), fence.Forever)
		done <- err
	}()
	time.AfterFunc(time.Millisecond, func() { _ = fs[1].Signal() })
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("chain never signalled")
	}
	assert.Equal(t, 1, head.Status())
	assert.Empty(t, *warns)
}

func TestLazySignalOrderRaisesNoWarning(t *testing.T) {
	warns := captureWarnings(t)
	head, fs := build(1, 2, 3)
	mid, err := chain.FindSeqno(head, 2)
	require.NoError(t, err)
	for _, f := range fs {
		require.NoError(t, f.Signal())
	}
	// The head is seen signalled before the earlier node nobody waited on.
	assert.True(t, head.IsSignaled())
	assert.True(t, mid.IsSignaled())
	mid.Put()
	assert.Empty(t, *warns)
}

func TestErrorOfContainedFenceDoesNotBlock(t *testing.T) {
	head, fs := build(1)
	require.NoError(t, fs[0].SetError(syscall.EIO))
	require.NoError(t, fs[0].Signal())
	_, err := head.Wait(nil, time.Second)
	require.NoError(t, err)
}

func TestReleaseDropsReferences(t *testing.T) {
	warns := captureWarnings(t)
	released := 0
	f := fence.New(releaseOps{&released}, nil, 1)
	head := chain.New(nil, f, 1) // takes over f's reference
	head2 := chain.New(head, fence.NewSignaled(), 2)
	head2.Put()
	assert.Equal(t, 1, released, "releasing the chain releases the contained fences")
	assert.Empty(t, *warns)
}

type releaseOps struct{ n *int }

func (releaseOps) DriverName() string                 { return "test" }
func (releaseOps) TimelineName(f *fence.Fence) string { return "t" }
func (r releaseOps) Release(f *fence.Fence)           { *r.n++ }

func TestLongChainUnwrapIsNotTruncated(t *testing.T) {
	var head *fence.Fence
	for p := uint64(1); p <= 200; p++ {
		head = chain.New(head, fence.New(ops{}, nil, p), p)
	}
	assert.Len(t, fence.Unwrap(head), 200)
}

// dma_fence_chain_walk judges a chain predecessor by its own fence, not by
// the chain up to it: a link whose fence has signalled is unhooked even
// while an earlier link is pending, and the walk stops at that earlier
// link.
func TestWalkJudgesLinksByTheirOwnFence(t *testing.T) {
	head, fs := build(1, 2, 3)
	require.NoError(t, fs[1].Signal()) // link 2's fence; link 1 still pending
	next := chain.Walk(head)
	require.NotNil(t, next)
	defer next.Put()
	assert.Equal(t, uint64(1), next.Seqno(), "link 2 unhooked, the walk stops at link 1")
	got := fence.Unwrap(head)
	require.Len(t, got, 2, "head first, link 2 gone")
	assert.Same(t, fs[2], got[0])
	assert.Same(t, fs[0], got[1])
}
