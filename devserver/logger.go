package devserver

import (
	"sync/atomic"

	"github.com/rs/zerolog"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// serverLogger writes the embedded Temporal server's logs through zerolog, so
// the whole process has one log stream in one format.
type serverLogger struct {
	zl zerolog.Logger
	// stopping is set while the server shuts down on purpose: its internal
	// pollers then warn about every closed connection, which is expected.
	stopping *atomic.Bool
}

// tagKey keeps the server's own "component" tag from colliding with ours.
func tagKey(key string) string {
	if key == "component" {
		return "server_component"
	}
	return key
}

var _ log.Logger = serverLogger{}
var _ log.WithLogger = serverLogger{}

func (l serverLogger) event(e *zerolog.Event, msg string, tags []tag.Tag) {
	if e == nil {
		return // a level that is off: skip formatting the tags' values
	}
	for _, t := range tags {
		e = e.Interface(tagKey(t.Key()), t.Value())
	}
	e.Msg(msg)
}

func (l serverLogger) Debug(msg string, tags ...tag.Tag) { l.quietable(l.zl.Debug(), msg, tags) }
func (l serverLogger) Info(msg string, tags ...tag.Tag)  { l.quietable(l.zl.Info(), msg, tags) }
func (l serverLogger) Warn(msg string, tags ...tag.Tag)  { l.quietable(l.zl.Warn(), msg, tags) }

func (l serverLogger) quietable(e *zerolog.Event, msg string, tags []tag.Tag) {
	if l.stopping.Load() {
		return
	}
	l.event(e, msg, tags)
}
func (l serverLogger) Error(msg string, tags ...tag.Tag) { l.event(l.zl.Error(), msg, tags) }

// The server's DPanic, Panic and Fatal are logged as errors: an embedded
// server must not take the worker down with os.Exit from inside a library.
func (l serverLogger) DPanic(msg string, tags ...tag.Tag) { l.event(l.zl.Error(), msg, tags) }
func (l serverLogger) Panic(msg string, tags ...tag.Tag)  { l.event(l.zl.Error(), msg, tags) }
func (l serverLogger) Fatal(msg string, tags ...tag.Tag)  { l.event(l.zl.Error(), msg, tags) }

func (l serverLogger) With(tags ...tag.Tag) log.Logger {
	ctx := l.zl.With()
	for _, t := range tags {
		ctx = ctx.Interface(tagKey(t.Key()), t.Value())
	}
	return serverLogger{zl: ctx.Logger(), stopping: l.stopping}
}
