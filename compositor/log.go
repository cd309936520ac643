package compositor

import (
	"io"
	"time"

	"github.com/headwaywl/headway/protocol/server"
)

type negLog struct{}

func newNegLog(w io.Writer) *negLog                                        { return &negLog{} }
func (l *negLog) setFrame(uint64)                                          {}
func (l *negLog) flush(*Compositor)                                        {}
func (l *negLog) close()                                                   {}
func (l *negLog) output(*Compositor)                                       {}
func (l *negLog) clientConnect(*clientData)                                {}
func (l *negLog) clientName(*clientData, string)                           {}
func (l *negLog) clientDisconnect(*clientData, string, server.PostedError) {}
func (l *negLog) bind(*clientData, string, uint32)                         {}
func (l *negLog) bufferImport(*clientData, *buffer)                        {}
func (l *negLog) presentation(*surface, *server.Resource, string, uint64, []string, uint32, uint64, uint32) {
}
func (l *negLog) lockstepTimeout([]string, time.Duration) {}
func (l *negLog) frame(*Compositor, *frameSnap)           {}
