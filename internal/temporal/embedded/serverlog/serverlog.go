// Package serverlog writes the embedded Temporal server's logs through
// zerolog, so the whole process has one log stream in one format.
package serverlog

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/rs/zerolog"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// Logger is the server's log.Logger. Its zero value is not usable: use New.
type Logger struct {
	zl zerolog.Logger
	// phase is shared by every logger derived from this one.
	phase *phase
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

// phase is where the server's life is, for the log calls that depend on it.
type phase struct {
	// building is set while Build runs; buildFatal is the first Fatal then.
	building   atomic.Bool
	buildFatal atomic.Pointer[BuildError]
	// stopping is set while the server shuts down on purpose: its internal
	// pollers then warn about every closed connection, which is expected.
	stopping atomic.Bool
}

var _ log.Logger = Logger{}
var _ log.WithLogger = Logger{}

// New logs through zl.
func New(zl zerolog.Logger) Logger { return Logger{zl: zl, phase: &phase{}} }

// Stopping quiets the debug, info and warning logs of this logger and every
// logger derived from it, for a shutdown made on purpose.
func (l Logger) Stopping() { l.phase.stopping.Store(true) }

// BuildError is a Fatal the server logged while it was being built, such as
// a gRPC port it could not listen on.
type BuildError struct {
	Message string
	Tags    []tag.Tag
}

func (e *BuildError) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for _, t := range e.Tags {
		fmt.Fprintf(&b, " %s=%v", t.Key(), t.Value())
	}
	return b.String()
}

// Build runs build (the server's construction) and returns the first Fatal
// the server logs during it as a *BuildError. The server's code expects a
// Fatal to end the process and goes on with nil values after it: a failed
// listen panics on its nil listener a moment later. So a panic in build that
// follows a Fatal is the Fatal's consequence and returns it; a panic without
// one is a bug and goes on up.
func (l Logger) Build(build func() error) (err error) {
	l.phase.buildFatal.Store(nil)
	l.phase.building.Store(true)
	defer l.phase.building.Store(false)
	defer func() {
		fatal := l.phase.buildFatal.Load()
		if p := recover(); p != nil && fatal == nil {
			panic(p)
		}
		if fatal != nil {
			err = fatal
		}
	}()
	return build()
}

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
	if l.phase.stopping.Load() {
		return
	}
	l.event(e, msg, tags)
}
func (l Logger) Error(msg string, tags ...tag.Tag) { l.event(l.zl.Error(), msg, tags) }

// The server's DPanic, Panic and Fatal are logged as errors: an embedded
// server must not take the worker down with os.Exit from inside a library.
// A Fatal while the server is built also fails the build (see Build).
func (l Logger) DPanic(msg string, tags ...tag.Tag) { l.event(l.zl.Error(), msg, tags) }
func (l Logger) Panic(msg string, tags ...tag.Tag)  { l.event(l.zl.Error(), msg, tags) }
func (l Logger) Fatal(msg string, tags ...tag.Tag) {
	if l.phase.building.Load() {
		l.phase.buildFatal.CompareAndSwap(nil, &BuildError{Message: msg, Tags: append(slices.Clip(l.with), tags...)})
	}
	l.event(l.zl.Error(), msg, tags)
}

func (l Logger) With(tags ...tag.Tag) log.Logger {
	return Logger{zl: l.zl, phase: l.phase, with: append(slices.Clip(l.with), tags...)}
}
