package device

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The file's descriptors go to the lowest free number above the DRM file's
// 3 (the package doc's promise, as get_unused_fd_flags does in a process
// whose 0-2 are taken): a commit with a CRTC and a writeback out-fence
// installs 4 then 5, in prepare_signaling's order.
func TestOutFenceDescriptorsCountUpFromFour(t *testing.T) {
	r := newRig(t, "vkms")
	crtcPtr, wbPtr := commitCRTCAndWritebackFences(t, r)
	for ptr, want := range map[uint64]int32{crtcPtr: 4, wbPtr: 5} {
		v, err := r.f.Mem().GetU32(ptr)
		require.NoError(t, err)
		assert.Equal(t, want, int32(v))
	}
	r.clk.Advance()
	r.requireIdle()
}
