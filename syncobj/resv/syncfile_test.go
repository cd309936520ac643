package resv

import (
	"context"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/syncobj/chain"
	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/swsync"
	"github.com/headwaywl/headway/syncobj/syncfile"
)

// exported returns the individual fences an exported file stands for and
// closes the file.
func exported(t *testing.T, o *Object, flags uint32) []*fence.Fence {
	t.Helper()
	sf, err := o.ExportSyncFile(flags)
	require.NoError(t, err)
	defer func() { require.NoError(t, sf.Close()) }()
	return fence.Unwrap(sf.Fence())
}

// noWarnings fails the test if the fence layer reports any misuse while it
// runs: import and export must keep references and order straight.
func noWarnings(t *testing.T) {
	var mu sync.Mutex
	var got []fence.Warning
	prev := fence.SetWarningHandler(func(w fence.Warning) {
		mu.Lock()
		got = append(got, w)
		mu.Unlock()
	})
	t.Cleanup(func() {
		fence.SetWarningHandler(prev)
		mu.Lock()
		defer mu.Unlock()
		assert.Empty(t, got, "fence warnings")
	})
}

func TestSyncFlags(t *testing.T) {
	cases := []struct {
		flags uint32
		ok    bool
	}{
		{0, false},
		{SyncRead, true},
		{SyncWrite, true},
		{SyncRW, true},
		{4, false},
		{SyncRead | 4, false},
		{SyncRW | 1<<31, false},
		{^uint32(0), false},
	}
	for _, tc := range cases {
		o := New()
		sf, err := o.ExportSyncFile(tc.flags)
		if tc.ok {
			require.NoError(t, err, "export %#x", tc.flags)
			require.NoError(t, sf.Close())
		} else {
			require.ErrorIs(t, err, syscall.EINVAL, "export %#x", tc.flags)
			assert.Nil(t, sf)
		}
		in := syncfile.New(newFence(nil, 1))
		err = o.ImportSyncFile(in, tc.flags)
		if tc.ok {
			require.NoError(t, err, "import %#x", tc.flags)
			assert.Len(t, o.Fences(Bookkeep), 1)
		} else {
			require.ErrorIs(t, err, syscall.EINVAL, "import %#x", tc.flags)
			assert.Empty(t, o.Fences(Bookkeep), "a refused import adds nothing")
		}
		require.NoError(t, in.Close())
	}
	assert.Equal(t, Read, UsageRW(true))
	assert.Equal(t, Write, UsageRW(false))
}

func TestExportSyncFile(t *testing.T) {
	noWarnings(t)
	o := New()
	k, w, r1, r2, b := newFence(nil, 1), newFence(nil, 1), newFence(nil, 1), newFence(nil, 1), newFence(nil, 1)
	add(t, o, k, Kernel)
	add(t, o, w, Write)
	add(t, o, r1, Read)
	add(t, o, r2, Read)
	add(t, o, b, Bookkeep)
	cases := []struct {
		name  string
		flags uint32
		want  []*fence.Fence
	}{
		{"read-gets-writers", SyncRead, []*fence.Fence{k, w}},
		{"write-gets-all", SyncWrite, []*fence.Fence{k, w, r1, r2}},
		{"rw-is-write", SyncRW, []*fence.Fence{k, w, r1, r2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sf, err := o.ExportSyncFile(tc.flags)
			require.NoError(t, err)
			defer func() { require.NoError(t, sf.Close()) }()
			assert.Equal(t, tc.want, fence.Unwrap(sf.Fence()), "slot order, bookkeep never")
			assert.Equal(t, len(tc.want), sf.NumFences())
			assert.Equal(t, "dma_fence_array", sf.Fence().Ops().DriverName())
			assert.Equal(t, uint64(1), sf.Fence().Seqno())
			assert.False(t, sf.Ready())
			st, err := sf.Status()
			require.NoError(t, err)
			assert.Zero(t, st)
		})
	}

	t.Run("signalled-fences-left-out", func(t *testing.T) {
		require.NoError(t, k.Signal())
		require.NoError(t, r1.Signal())
		assert.Equal(t, []*fence.Fence{w, r2}, exported(t, o, SyncWrite))
	})
	t.Run("single-fence-is-itself", func(t *testing.T) {
		sf, err := o.ExportSyncFile(SyncRead)
		require.NoError(t, err)
		assert.Same(t, w, sf.Fence(), "one fence is not wrapped in an array")
		require.NoError(t, sf.Close())
	})
	t.Run("none-is-signalled-stub", func(t *testing.T) {
		require.NoError(t, w.Signal())
		require.NoError(t, r2.Signal())
		for _, flags := range []uint32{SyncRead, SyncWrite} {
			sf, err := o.ExportSyncFile(flags)
			require.NoError(t, err)
			assert.True(t, sf.Ready(), "the bookkeep fence %v is never exported", b)
			st, err := sf.Status()
			require.NoError(t, err)
			assert.Equal(t, int32(1), st)
			assert.Equal(t, 1, sf.NumFences())
			require.NoError(t, sf.Wait(nil, 0))
			require.NoError(t, sf.Close())
		}
	})
}

func TestExportSameContextNotFolded(t *testing.T) {
	// A context with a Write slot and a later Read slot keeps both, and
	// dma_resv_get_singleton puts both in the array: no merge-style
	// folding to the latest fence per context.
	o := New()
	c := fence.AllocContext()
	w, r := newFence(c, 1), newFence(c, 2)
	add(t, o, w, Write)
	add(t, o, r, Read)
	assert.Equal(t, []*fence.Fence{w, r}, exported(t, o, SyncWrite))
	assert.Equal(t, []*fence.Fence{w}, exported(t, o, SyncRead))
}

func TestExportedFileWaits(t *testing.T) {
	noWarnings(t)
	o := New()
	w, r := newFence(nil, 1), newFence(nil, 1)
	add(t, o, w, Write)
	add(t, o, r, Read)
	sf, err := o.ExportSyncFile(SyncWrite)
	require.NoError(t, err)
	defer func() { require.NoError(t, sf.Close()) }()
	require.ErrorIs(t, sf.Wait(nil, 0), syscall.ETIME)
	require.NoError(t, r.Signal())
	require.ErrorIs(t, sf.Wait(nil, 0), syscall.ETIME, "the writer still pends")
	timer := time.AfterFunc(time.Millisecond, func() { _ = w.Signal() })
	defer timer.Stop()
	require.NoError(t, sf.Wait(context.Background(), fence.Forever))
	assert.True(t, w.IsSignaled(), "the file signalled before its last fence")
	// The file is a snapshot: fences added later are not in it.
	late := newFence(nil, 1)
	add(t, o, late, Write)
	assert.True(t, sf.Ready())
}

func TestImportSyncFile(t *testing.T) {
	cases := []struct {
		name      string
		flags     uint32
		wantUsage Usage
	}{
		{"read", SyncRead, Read},
		{"write", SyncWrite, Write},
		{"rw", SyncRW, Write},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			noWarnings(t)
			o := New()
			r0, w0 := newFence(nil, 1), newFence(nil, 1)
			add(t, o, r0, Read)
			add(t, o, w0, Write)
			x := newFence(nil, 1)
			sf := syncfile.New(x)
			require.NoError(t, o.ImportSyncFile(sf, tc.flags))
			require.NoError(t, sf.Close(), "the object holds its own reference")

			// Nothing is replaced: the readers and the writer stay.
			fs := o.Fences(Read)
			assert.ElementsMatch(t, []*fence.Fence{r0, w0, x}, fs)
			putAll(fs)
			fs = o.Fences(Write)
			if tc.wantUsage == Write {
				assert.ElementsMatch(t, []*fence.Fence{w0, x}, fs)
			} else {
				assert.Equal(t, []*fence.Fence{w0}, fs)
			}
			putAll(fs)
			// Export sees the import with its usage.
			assert.Equal(t, tc.wantUsage == Write, contains(exported(t, o, SyncRead), x))
			assert.True(t, contains(exported(t, o, SyncWrite), x))
			require.NoError(t, x.Signal())
			assert.Equal(t, []*fence.Fence{w0}, exported(t, o, SyncRead))
		})
	}
}

func contains(fs []*fence.Fence, f *fence.Fence) bool {
	for _, g := range fs {
		if g == f {
			return true
		}
	}
	return false
}

func TestImportUnwraps(t *testing.T) {
	noWarnings(t)
	a, b, c := newFence(nil, 1), newFence(nil, 1), newFence(nil, 1)
	fa, fb := syncfile.New(a), syncfile.New(b)
	merged, err := syncfile.Merge("m", fa, fb)
	require.NoError(t, err)
	require.Equal(t, 2, merged.NumFences())
	tl := fence.AllocContext()
	link1 := chain.New(nil, c, 1)
	link2 := chain.New(link1, newFence(tl, 7), 2)
	chained := syncfile.New(link2)

	o := New()
	// Containers are refused by AddFence; the import adds their fences.
	require.NoError(t, o.ImportSyncFile(merged, SyncWrite))
	require.NoError(t, o.ImportSyncFile(chained, SyncRead))
	fs := o.Fences(Write)
	assert.ElementsMatch(t, []*fence.Fence{a, b}, fs)
	putAll(fs)
	fs = o.Fences(Read)
	assert.Len(t, fs, 4)
	assert.Contains(t, fs, c)
	putAll(fs)
	for _, f := range []*syncfile.File{fa, fb, merged, chained} {
		require.NoError(t, f.Close())
	}
}

func TestImportBadFile(t *testing.T) {
	o := New()
	closed := syncfile.New(newFence(nil, 1))
	require.NoError(t, closed.Close())
	cases := []struct {
		name string
		sf   *syncfile.File
	}{
		{"nil", nil},
		{"zero", &syncfile.File{}},
		{"closed", closed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, flags := range []uint32{SyncRead, SyncWrite, 0, 8} {
				require.ErrorIs(t, o.ImportSyncFile(tc.sf, flags), syscall.EINVAL)
			}
		})
	}
	assert.Empty(t, o.Fences(Bookkeep))
	assert.True(t, o.TryLock(), "a failed import leaves the object unlocked")
	o.Unlock()
}

func TestImportSignalled(t *testing.T) {
	o := New()
	sf, err := New().ExportSyncFile(SyncWrite) // a signalled stub
	require.NoError(t, err)
	require.NoError(t, o.ImportSyncFile(sf, SyncWrite))
	require.NoError(t, sf.Close())
	assert.True(t, o.Test(Bookkeep))
	assert.Empty(t, o.Fences(Bookkeep))
	require.NoError(t, o.Wait(nil, Bookkeep, 0))
}

// TestSeed17SyncFile is seed scenario 17 through the sync_file entry
// points: the writer arrives by IMPORT_SYNC_FILE(WRITE), the readers by
// IMPORT_SYNC_FILE(READ) and then fail (engine reset, -EIO). Waiting for
// all usages, and exporting for either access, must still cover the
// writer.
func TestSeed17SyncFile(t *testing.T) {
	noWarnings(t)
	o := New()
	writer := newFence(nil, 1)
	wf := syncfile.New(writer)
	require.NoError(t, o.ImportSyncFile(wf, SyncWrite))
	require.NoError(t, wf.Close())
	for i := 0; i < 2; i++ {
		r := newFence(nil, 1)
		rf := syncfile.New(r)
		require.NoError(t, o.ImportSyncFile(rf, SyncRead))
		require.NoError(t, rf.Close())
		require.NoError(t, r.SetError(syscall.EIO))
		require.NoError(t, r.Signal())
	}
	assert.False(t, o.Test(Read))
	assert.False(t, o.Test(Bookkeep))
	require.ErrorIs(t, o.Wait(nil, Bookkeep, 0), syscall.ETIME)
	for _, flags := range []uint32{SyncRead, SyncWrite, SyncRW} {
		sf, err := o.ExportSyncFile(flags)
		require.NoError(t, err)
		assert.Same(t, writer, sf.Fence(), "flags %#x: only the writer is left", flags)
		assert.False(t, sf.Ready(), "flags %#x: idle although the writer pends", flags)
		require.NoError(t, sf.Close())
	}
	all, err := o.ExportSyncFile(SyncWrite)
	require.NoError(t, err)
	defer func() { require.NoError(t, all.Close()) }()
	timer := time.AfterFunc(time.Millisecond, func() { _ = writer.Signal() })
	defer timer.Stop()
	require.NoError(t, all.Wait(context.Background(), fence.Forever))
	assert.True(t, writer.IsSignaled())
	require.NoError(t, o.Wait(nil, Bookkeep, 0))
}

// TestTwoStepScenario is the implicit-sync hand-off a compositor sees,
// with sw_sync timelines standing in for the GPU engines: the client's GPU
// renders into the buffer and the client attaches the job's sync_file as a
// write; the compositor exports for read to learn when it may sample, then
// attaches its own sampling job as a read; the client, about to render the
// next frame, exports for write and must wait for that read.
func TestTwoStepScenario(t *testing.T) {
	noWarnings(t)
	buf := New()
	clientGPU := swsync.NewTimeline("client-gpu")
	defer func() { require.NoError(t, clientGPU.Close()) }()
	compGPU := swsync.NewTimeline("compositor-gpu")
	defer func() { require.NoError(t, compGPU.Close()) }()

	// Step 1: the client's render job writes the buffer.
	render, err := clientGPU.CreateFence(1, "render")
	require.NoError(t, err)
	require.NoError(t, buf.ImportSyncFile(render, SyncWrite))
	require.NoError(t, render.Close())

	// Step 2: the compositor wants to read.
	acquire, err := buf.ExportSyncFile(SyncRead)
	require.NoError(t, err)
	assert.False(t, acquire.Ready(), "the render job has not finished")
	timer := time.AfterFunc(time.Millisecond, func() { _ = clientGPU.Inc(1) })
	defer timer.Stop()
	require.NoError(t, acquire.Wait(context.Background(), fence.Forever))
	assert.Equal(t, uint32(1), clientGPU.Value())
	require.NoError(t, acquire.Close())

	sample, err := compGPU.CreateFence(1, "sample")
	require.NoError(t, err)
	require.NoError(t, buf.ImportSyncFile(sample, SyncRead))
	require.NoError(t, sample.Close())

	// Another reader need not wait for the compositor's read...
	again, err := buf.ExportSyncFile(SyncRead)
	require.NoError(t, err)
	assert.True(t, again.Ready(), "readers do not wait for readers")
	require.NoError(t, again.Close())

	// ...but the client's next write must.
	release, err := buf.ExportSyncFile(SyncWrite)
	require.NoError(t, err)
	defer func() { require.NoError(t, release.Close()) }()
	assert.Equal(t, 1, release.NumFences())
	require.ErrorIs(t, release.Wait(nil, 0), syscall.ETIME)
	require.NoError(t, compGPU.Inc(1))
	require.NoError(t, release.Wait(nil, 0))
	assert.True(t, buf.Test(Bookkeep))
}

func TestImportExportConcurrent(t *testing.T) {
	o := New()
	var wg sync.WaitGroup
	var fences []*fence.Fence
	var mu sync.Mutex
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			c := fence.AllocContext()
			for i := 1; i <= 50; i++ {
				f := newFence(c, uint64(i))
				mu.Lock()
				fences = append(fences, f)
				mu.Unlock()
				sf := syncfile.New(f)
				assert.NoError(t, o.ImportSyncFile(sf, SyncRead+uint32(g%2)))
				assert.NoError(t, sf.Close())
				out, err := o.ExportSyncFile(SyncWrite)
				if assert.NoError(t, err) {
					assert.NotZero(t, out.NumFences())
					assert.NoError(t, out.Close())
				}
			}
		}(g)
	}
	wg.Wait()
	// One slot per context and usage: each goroutine's latest fence.
	fs := o.Fences(Bookkeep)
	assert.Len(t, fs, 4)
	putAll(fs)
	for _, f := range fences {
		_ = f.Signal()
	}
	assert.True(t, o.Test(Bookkeep))
}

func BenchmarkExportSyncFile(b *testing.B) {
	o := New()
	o.Lock()
	for i := 0; i < 4; i++ {
		if err := o.AddFence(newFence(nil, 1), Read); err != nil {
			b.Fatal(err)
		}
	}
	if err := o.AddFence(newFence(nil, 1), Write); err != nil {
		b.Fatal(err)
	}
	o.Unlock()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sf, err := o.ExportSyncFile(SyncWrite)
		if err != nil {
			b.Fatal(err)
		}
		if sf.NumFences() != 5 {
			b.Fatalf("exported %d fences, want 5", sf.NumFences())
		}
		_ = sf.Close()
	}
}
