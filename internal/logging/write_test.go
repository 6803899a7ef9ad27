package logging

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/internal/texts"
)

// A log line's message is in the process's language; its event id and
// fields, which alerts and searches match, are the same in every language.
func TestLogLinesSayTheirMessageInTheLanguageAndKeepTheirEvent(t *testing.T) {
	t.Cleanup(func() { SetLanguage(texts.English) })
	for _, c := range []struct {
		language texts.Language
		message  string
	}{
		{texts.English, "the store does not answer: its writes wait and retry until it does, the lifecycle goes on"},
		{texts.Dutch, "de opslag antwoordt niet: de schrijfacties wachten en proberen opnieuw tot hij antwoordt, de levenscyclus gaat door"},
	} {
		SetLanguage(c.language)
		var out bytes.Buffer
		logger := zerolog.New(&out)
		Write(logger.Warn().Str("store", "data/scoreflow.db"), "log.store.unreachable")
		var line map[string]string
		if err := json.Unmarshal(out.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"level": "warn", "event": "log.store.unreachable", "store": "data/scoreflow.db", "message": c.message}
		for key, value := range want {
			if line[key] != value {
				t.Errorf("%s: %s = %q, want %q", c.language, key, line[key], value)
			}
		}
	}
}

// Log gives a Temporal SDK logger the same message, with the event id
// before the line's own fields.
func TestLogGivesTheSDKLoggerTheMessageAndItsEvent(t *testing.T) {
	t.Cleanup(func() { SetLanguage(texts.English) })
	SetLanguage(texts.Dutch)
	var message string
	var keyvals []any
	WriteSDK(func(msg string, kv ...any) { message, keyvals = msg, kv }, "log.workflow.transition", "From", "triage")
	if message != "overgang" || len(keyvals) != 4 || keyvals[0] != "event" || keyvals[1] != "log.workflow.transition" ||
		keyvals[2] != "From" || keyvals[3] != "triage" {
		t.Errorf("logged %q with %v", message, keyvals)
	}
}
