package logging

import (
	"sync/atomic"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/internal/texts"
)

// The process's log messages are in the MSP's language (config
// msp_language), from the texts catalogue. Each line also carries its
// message id as "event", so alerts and searches match the id whatever the
// language. The language is the process's, like its log level: the worker
// sets it once it has read the config, and until then it is English.
var language atomic.Pointer[texts.Texts]

// SetLanguage makes the process log in l.
func SetLanguage(l texts.Language) { language.Store(texts.For(l)) }

// message is the log message id in the process's language.
func message(id string, data ...any) string {
	t := language.Load()
	if t == nil {
		t = texts.For(texts.English)
	}
	return t.T(id, data...)
}

// Write sends zerolog's event e with its message id as "event" and its
// message, from the catalogue, in the process's language.
func Write(e *zerolog.Event, id string, data ...any) {
	e.Str("event", id).Msg(message(id, data...))
}

// WriteSDK is Write for the Temporal SDK's loggers, which workflows and
// activities log through: level is the logger's method (logger.Warn),
// keyvals its fields after the event id.
func WriteSDK(level func(msg string, keyvals ...any), id string, keyvals ...any) {
	level(message(id), append([]any{"event", id}, keyvals...)...)
}
