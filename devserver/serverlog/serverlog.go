// Package serverlog writes the embedded Temporal server's logs through
// zerolog, so the whole process has one log stream in one format.
package serverlog

import (
	"slices"
	"sync/atomic"

	"github.com/rs/zerolog"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// Logger is the server's log.Logger. Its zero value is not usable: use New.
type Logger struct {
	zl zerolog.Logger
	// stopping is set while the server shuts down on purpose: its internal
	// pollers then warn about every closed connection, which is expected.
	stopping *atomic.Bool
	// with are the tags of With, formatted only when an event is written:
	// the server derives a logger for most requests and tasks, and nearly
	// all of them only ever log below the level that is on.
	with []tag.Tag
}

// tagKey keeps the server's own "component" tag from colliding with ours.
func tagKey(key string) string {
	if key == "component" {
		return "server_component"
	}
	return key
}

var _ log.Logger = Logger{}
var _ log.WithLogger = Logger{}

// New logs through zl.
func New(zl zerolog.Logger) Logger { return Logger{zl: zl, stopping: &atomic.Bool{}} }

// Stopping quiets the debug, info and warning logs of this logger and every
// logger derived from it, for a shutdown made on purpose.
func (l Logger) Stopping() { l.stopping.Store(true) }

func (l Logger) event(e *zerolog.Event, msg string, tags []tag.Tag) {
	if e == nil {
		return // a level that is off: skip formatting the tags' values
	}
	for _, t := range l.with {
		e = e.Interface(tagKey(t.Key()), t.Value())
	}
	for _, t := range tags {
		e = e.Interface(tagKey(t.Key()), t.Value())
	}
	e.Msg(msg)
}

func (l Logger) Debug(msg string, tags ...tag.Tag) { l.quietable(l.zl.Debug(), msg, tags) }
func (l Logger) Info(msg string, tags ...tag.Tag)  { l.quietable(l.zl.Info(), msg, tags) }
func (l Logger) Warn(msg string, tags ...tag.Tag)  { l.quietable(l.zl.Warn(), msg, tags) }

func (l Logger) quietable(e *zerolog.Event, msg string, tags []tag.Tag) {
	if l.stopping.Load() {
		return
	}
	l.event(e, msg, tags)
}
func (l Logger) Error(msg string, tags ...tag.Tag) { l.event(l.zl.Error(), msg, tags) }

// The server's DPanic, Panic and Fatal are logged as errors: an embedded
// server must not take the worker down with os.Exit from inside a library.
func (l Logger) DPanic(msg string, tags ...tag.Tag) { l.event(l.zl.Error(), msg, tags) }
func (l Logger) Panic(msg string, tags ...tag.Tag)  { l.event(l.zl.Error(), msg, tags) }
func (l Logger) Fatal(msg string, tags ...tag.Tag)  { l.event(l.zl.Error(), msg, tags) }

func (l Logger) With(tags ...tag.Tag) log.Logger {
	return Logger{zl: l.zl, stopping: l.stopping, with: append(slices.Clip(l.with), tags...)}
}
