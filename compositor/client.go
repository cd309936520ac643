package compositor

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/headwaywl/headway/compositor/neglog"
	"github.com/headwaywl/headway/protocol/server"
)

// clientData is the compositor's view of one client: its stable name for
// the log, its own serial counter and ordinals.
type clientData struct {
	c      *Compositor
	client *server.Client
	pid    int32
	comm   string
	name   string
	named  bool // named through headway_test_v1 (by itself or a launcher)

	serial    uint32 // per client, so one client never shifts another's serials
	logOrd    uint64
	surfaceN  uint64 // per-client surface ordinal, for stacking ties
	surfaces  []*surface
	keyboards []*server.Resource
	pointers  []*server.Resource
	cursor    *surface // the pointer's cursor surface, if set
	gone      bool
	logID     neglog.ClientID
	logged    bool // lines of this client have been written under its name
}

// clientFor returns the data of cl, creating it (and its stable name) the
// first time the compositor sees the client.
func (c *Compositor) clientFor(cl *server.Client) *clientData {
	if cd, ok := cl.Data().(*clientData); ok {
		return cd
	}
	cd := &clientData{c: c, client: cl}
	if cred, err := cl.Cred(); err == nil {
		cd.pid = cred.PID
		cd.comm = procComm(cred.PID)
	}
	if cd.comm == "" {
		cd.comm = "client"
	}
	if n, ok := c.pidNames[cd.pid]; ok && cd.pid != 0 {
		cd.name, cd.named = n, true
		delete(c.pidNames, cd.pid)
	} else {
		c.nameCount[cd.comm]++
		cd.name = fmt.Sprintf("%s-%d", cd.comm, c.nameCount[cd.comm])
	}
	cl.SetData(cd)
	c.clients[cl] = cd
	cl.AddDestroyListener(c.clientGone)
	c.nlog.clientConnect(cd)
	return cd
}

// nextSerial is the client's next event serial.
func (cd *clientData) nextSerial() uint32 {
	cd.serial++
	return cd.serial
}

func (c *Compositor) clientGone(cl *server.Client) {
	cd, ok := c.clients[cl]
	if !ok {
		return
	}
	cd.gone = true
	delete(c.clients, cl)
	// EOF and a reset say the same (the client went away) and which one a
	// run sees is timing: the detail is volatile.
	reason, detail := "disconnected", ""
	pe := cl.Error()
	if pe.Sent {
		reason = "protocol_error"
	} else if err := cl.FailErr(); err != nil {
		detail = err.Error()
	}
	c.nlog.clientDisconnect(cd, reason, detail, pe)
	c.seat.clientGone(cd)
	c.scene.changed()
	c.lockstepKick()
}

// procComm reads the process name the kernel keeps for pid.
func procComm(pid int32) string {
	if pid <= 0 {
		return ""
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		return ""
	}
	return sanitizeName(string(bytes.TrimSpace(b)))
}

// sanitizeName keeps a process name usable as a log name: printable ASCII
// without spaces or quotes.
func sanitizeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// validName is headway_test_v1's rule for stable names.
func validName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	return sanitizeName(s) == s
}

// rename gives a client its stable name.
func (c *Compositor) rename(cd *clientData, name string) {
	if cd.name == name {
		cd.named = true
		return
	}
	old := cd.name
	cd.name, cd.named = name, true
	// Only a name change the log has already shown is a line of its own:
	// whether a launcher's name_client_pid arrives before or after the
	// client connects must not change the log.
	if cd.logged {
		c.nlog.clientName(cd, old)
	}
	c.scene.changed() // stacking ties use names
}

// nameClientPid names the client with pid, now or when it connects. A
// short-lived client may already have gone when the launcher's request
// arrives; its lines not yet written still take the name.
func (c *Compositor) nameClientPid(pid int32, name string) {
	for _, cd := range c.clients {
		if cd.pid == pid {
			c.rename(cd, name)
			return
		}
	}
	if cd := c.nlog.unflushedGone(pid); cd != nil {
		c.rename(cd, name)
		return
	}
	c.pidNames[pid] = name
}
