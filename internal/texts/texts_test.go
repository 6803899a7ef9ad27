package texts

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// catalogue reads a language's file: each id's text, or its plural forms.
func catalogue(t *testing.T, l Language) map[string]map[string]string {
	t.Helper()
	raw, err := catalogues.ReadFile("catalogue/" + string(l) + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	var entries map[string]yaml.Node
	if err := yaml.Unmarshal(raw, &entries); err != nil {
		t.Fatal(err)
	}
	messages := map[string]map[string]string{}
	for id, node := range entries {
		forms := map[string]string{}
		if node.Kind == yaml.MappingNode {
			if err := node.Decode(&forms); err != nil {
				t.Fatal(err)
			}
		} else {
			forms["text"] = node.Value
		}
		messages[id] = forms
	}
	return messages
}

var placeholder = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

// placeholders are the names a text fills, sorted, once each.
func placeholders(text string) []string {
	var names []string
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// Every language has every id of English, no other, and each with the
// same placeholders in each of its forms.
func TestEveryCatalogueHasTheSameMessagesWithTheSamePlaceholders(t *testing.T) {
	english := catalogue(t, English)
	for _, l := range Languages[1:] {
		other := catalogue(t, l)
		for id, forms := range english {
			translated, ok := other[id]
			if !ok {
				t.Errorf("%s.yaml lacks %s", l, id)
				continue
			}
			want := placeholders(strings.Join(slices.Collect(mapValues(forms)), " "))
			for form, text := range translated {
				if got := placeholders(text); !slices.Equal(got, want) {
					t.Errorf("%s.yaml: %s (%s) fills %v, English fills %v", l, id, form, got, want)
				}
			}
		}
		for id := range other {
			if _, ok := english[id]; !ok {
				t.Errorf("%s.yaml has %s, which en.yaml does not", l, id)
			}
		}
	}
}

func mapValues(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

// Every id in the catalogue is named in the code, and every id the code
// asks for (T, Count, and the templates' t and count) is in the catalogue.
func TestEveryMessageIsUsedAndEveryUsedMessageExists(t *testing.T) {
	english := catalogue(t, English)
	root, err := filepath.Abs("../..") // the repository: the catalogue is internal/texts/catalogue
	if err != nil {
		t.Fatal(err)
	}
	var code strings.Builder
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "catalogue" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, ".html")) {
			raw, err := os.ReadFile(path)
			code.Write(raw)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for id := range english {
		if !strings.Contains(code.String(), `"`+id+`"`) {
			t.Errorf("%s is in the catalogues but no code names it", id)
		}
	}
	asked := regexp.MustCompile(`(?:\.T\(|\.Count\(|\{\{\s*t\s+|\{\{\s*count\s+)"([a-z0-9_.]+)"`)
	// A log line's id comes after its fields (logging.Write) or first (logging.WriteSDK):
	// every literal shaped as a log id is asked for.
	logIDs := regexp.MustCompile(`"(log\.[a-z]+\.[a-z_]+)"`)
	for _, m := range append(asked.FindAllStringSubmatch(code.String(), -1), logIDs.FindAllStringSubmatch(code.String(), -1)...) {
		if _, ok := english[m[1]]; !ok {
			t.Errorf("the code asks for %s, which is in no catalogue", m[1])
		}
	}
}

// Every log message comes from the catalogues: no code logs a literal
// message (zerolog's Msg, or the Temporal SDK logger's Info, Warn, Error,
// Debug), which would stay English whatever msp_language says.
func TestNoCodeLogsALiteralMessage(t *testing.T) {
	root, err := filepath.Abs("../..") // the repository: the catalogue is internal/texts/catalogue
	if err != nil {
		t.Fatal(err)
	}
	literal := regexp.MustCompile(`\.(?:Msg|Msgf|Info|Warn|Error|Debug)\("`)
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(raw), "\n") {
			if literal.MatchString(line) {
				t.Errorf("%s:%d logs a literal message; log through logging.Say or a catalogue id: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNumbersDatesAndPluralsAreTheLanguages(t *testing.T) {
	day := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		l                                 Language
		percent, points, date, one, three string
	}{
		{English, "28.7 %", "1,234.5", "30 November 2026", "1 day", "3 days"},
		{Dutch, "28,7 %", "1.234,5", "30 november 2026", "1 dag", "3 dagen"},
	} {
		words := For(c.l)
		got := []string{words.Percent(28.7), words.Points(1234.5), words.Date(day), words.Period(24 * time.Hour), words.Period(72 * time.Hour)}
		if want := []string{c.percent, c.points, c.date, c.one, c.three}; !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", c.l, got, want)
		}
	}
	if got := For("fr").Language; got != English {
		t.Errorf("an unknown language speaks %s, want English", got)
	}
}
