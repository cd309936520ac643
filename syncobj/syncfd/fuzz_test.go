package syncfd

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParseBody feeds arbitrary datagrams (and fd counts) to the parser
// every Import runs on a peer's bytes: it must refuse or accept without
// panicking, and what it accepts must be self-consistent.
func FuzzParseBody(f *testing.F) {
	f.Add(header(0, Version), 0)
	f.Add(header(2, Version), 2)
	f.Add(header(1, 7), 1)
	f.Add([]byte(Magic), 0)
	f.Add([]byte{}, 3)
	f.Fuzz(func(t *testing.T, b []byte, nfds int) {
		name, values, err := parseBody(b, nfds)
		if err != nil {
			return
		}
		require.Equal(t, nfds, len(values))
		require.LessOrEqual(t, len(values), MaxPoints)
		require.LessOrEqual(t, len(name), NameMax)
		require.Equal(t, headerSize+pointSize*len(values), len(b))
	})
}
