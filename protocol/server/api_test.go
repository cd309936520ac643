package server

import (
	"context"
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEventsOnDestroyedResourceAreDropped(t *testing.T) {
	d := NewDisplay(WithTrace(nil))
	c, err := newClient(d, nil)
	require.NoError(t, err)
	r, err := c.NewResource(2, testIface, 1)
	require.NoError(t, err)
	require.NotNil(t, r.BeginEvent(0))
	r.Destroy()
	assert.False(t, r.Alive())
	assert.Nil(t, r.BeginEvent(0))
	r.Destroy() // idempotent
}

func TestEndEventTooLarge(t *testing.T) {
	d := NewDisplay(WithTrace(nil))
	c, err := newClient(d, nil)
	require.NoError(t, err)
	r, err := c.NewResource(2, RegistryInterface, 1)
	require.NoError(t, err)
	e := r.BeginEvent(registryEventGlobal)
	require.NotNil(t, e)
	e.Uint(1)
	e.String(strings.Repeat("x", 5000))
	e.Uint(1)
	err = r.EndEvent(e)
	require.ErrorIs(t, err, wire.ErrTooLarge)
	require.ErrorIs(t, err, syscall.E2BIG)
	assert.Contains(t, err.Error(), "wl_registry.global")
	assert.Zero(t, c.pendingOut(), "a refused event leaves nothing queued")
}

func TestNewResourceIDRules(t *testing.T) {
	d := NewDisplay(WithTrace(nil))
	c, err := newClient(d, nil)
	require.NoError(t, err)
	cases := []struct {
		id uint32
		ok bool
	}{
		{1, false}, // wl_display
		{3, false}, // beyond the next free id
		{2, true},
		{2, false}, // in use
		{0, false},
		{ServerIDStart, false},
		{3, true},
	}
	for _, tc := range cases {
		_, err := c.NewResource(tc.id, testIface, 1)
		if tc.ok {
			assert.NoError(t, err, "id %d", tc.id)
		} else {
			var pe *ProtocolError
			require.ErrorAs(t, err, &pe, "id %d", tc.id)
			assert.Equal(t, ErrorInvalidObject, pe.Code)
			assert.Equal(t, uint32(1), pe.Object)
		}
	}
	s, err := c.CreateResource(testIface, 1)
	require.NoError(t, err)
	assert.Equal(t, ServerIDStart, s.ID())
	s.Destroy()
	s2, err := c.CreateResource(testIface, 1)
	require.NoError(t, err)
	assert.Equal(t, ServerIDStart, s2.ID(), "freed server ids are reused")

	got, err := c.LookupArg(0, testIface, true)
	assert.NoError(t, err)
	assert.Nil(t, got)
	_, err = c.LookupArg(0, testIface, false)
	assert.Error(t, err)
	_, err = c.LookupArg(2, RegistryInterface, false)
	var pe *ProtocolError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, ErrorInvalidObject, pe.Code)
	got, err = c.LookupArg(2, testIface, false)
	require.NoError(t, err)
	assert.Equal(t, uint32(2), got.ID())
}

func TestDoRunsOnLoopAndSurvivesPanics(t *testing.T) {
	d := startDisplay(t, newTestHandler())
	d.Do(func() { panic("boom") })
	done := make(chan uint32, 1)
	d.Do(func() { done <- d.NextSerial() })
	select {
	case s := <-done:
		assert.Equal(t, uint32(1), s)
	case <-timeoutC():
		t.Fatal("Do function did not run")
	}
	// The display still serves clients.
	c := connect(t, d)
	assert.Empty(t, c.MustRoundtrip())
}

func TestCloseBeforeRun(t *testing.T) {
	d := NewDisplay(WithTrace(nil))
	c := connect(t, d)
	d.Close()
	d.Close()
	_, err := c.Read(context.Background())
	require.ErrorIs(t, err, rawwire.ErrDisconnected)
	require.Error(t, d.Run(context.Background()), "a closed display does not run")
}

func TestCloseStopsRun(t *testing.T) {
	d := NewDisplay(WithTrace(nil))
	done := make(chan error, 1)
	go func() { done <- d.Run(context.Background()) }()
	c := connect(t, d)
	assert.Empty(t, c.MustRoundtrip())
	d.Close()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-timeoutC():
		t.Fatal("Run did not return after Close")
	}
	_, err := c.Read(context.Background())
	require.ErrorIs(t, err, rawwire.ErrDisconnected)
}

func TestClientCred(t *testing.T) {
	d := NewDisplay(WithTrace(nil))
	defer d.Close()
	srv, cli, err := pairForTest()
	require.NoError(t, err)
	defer cli.Close()
	c, err := d.AddClient(srv)
	require.NoError(t, err)
	cred, err := c.Cred()
	require.NoError(t, err)
	assert.Equal(t, int32(os.Getpid()), cred.PID)
	assert.Equal(t, uint32(os.Getuid()), cred.UID)
}

func TestProtocolErrorText(t *testing.T) {
	e := Errorf(nil, 3, "bad %s", "thing")
	assert.Equal(t, "protocol error on object 0, code 3: bad thing", e.Error())
	assert.True(t, errors.Is(ErrEventVersion, ErrEventVersion))
}

func TestWaylandDebugEnv(t *testing.T) {
	cases := []struct {
		value string
		on    bool
	}{
		{"", false}, {"server", true}, {"1", true}, {"client", false}, {"client,server", true}, {"0", false},
	}
	for _, tc := range cases {
		t.Run(tc.value, func(t *testing.T) {
			t.Setenv("WAYLAND_DEBUG", tc.value)
			d := NewDisplay()
			assert.Equal(t, tc.on, d.trace == os.Stderr)
			d2 := NewDisplay(WithTrace(nil))
			assert.Nil(t, d2.trace, "WithTrace overrides the environment")
		})
	}
}
