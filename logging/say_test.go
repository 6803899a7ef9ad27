package logging

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/texts"
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
		Say(logger.Warn().Str("store", "data/scoreflow.db"), "log.store.unreachable")
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
