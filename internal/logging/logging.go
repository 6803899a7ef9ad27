// Package logging builds scoreflow's one zerolog logger and hands the same
// stream to the Temporal SDK, so worker, SDK and embedded server log alike.
package logging

import (
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"
	sdklog "go.temporal.io/sdk/log"
	"golang.org/x/term"
)

// LevelEnvVar overrides the log level: debug, info, warn or error.
const LevelEnvVar = "SCOREFLOW_LOG_LEVEL"

// New is the root logger; each part of the process adds its own "component" field.
// It logs to w: human-readable on a terminal, JSON lines otherwise (for log shippers).
func New(w *os.File) zerolog.Logger {
	var out io.Writer = w
	if term.IsTerminal(int(w.Fd())) {
		out = zerolog.ConsoleWriter{Out: w, TimeFormat: time.TimeOnly}
	}
	level, err := zerolog.ParseLevel(strings.ToLower(os.Getenv(LevelEnvVar)))
	if err != nil || level == zerolog.NoLevel {
		level = zerolog.InfoLevel
	}
	return zerolog.New(out).Level(level).With().Timestamp().Logger()
}

// Temporal adapts a zerolog logger to the Temporal SDK's logger interface through slog.
func Temporal(logger zerolog.Logger) sdklog.Logger {
	return sdklog.NewStructuredLogger(slog.New(zerolog.NewSlogHandler(logger)))
}
