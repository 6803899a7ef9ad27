// Package texts holds every text a customer reads, in the language its
// tenant chose (config `language`), and every text the MSP's people read,
// in theirs (`msp_language`): message catalogues, one file per language
// under catalogue/, read through go-i18n, which picks plural forms by the
// language's rules; numbers and dates are formatted for the language with
// golang.org/x/text. Microsoft's own texts (control titles, remediation,
// threats) are passed through as Graph returns them.
package texts

import (
	"embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
	"gopkg.in/yaml.v3"
)

// Language is a language with a catalogue: a tenant's, or the MSP's.
type Language string

const (
	English Language = "en"
	Dutch   Language = "nl"
)

// Languages are the languages with a catalogue, the default first.
var Languages = []Language{English, Dutch}

// Valid reports whether a catalogue exists for the language.
func (l Language) Valid() bool {
	for _, known := range Languages {
		if l == known {
			return true
		}
	}
	return false
}

//go:embed catalogue/*.yaml
var catalogues embed.FS

var bundle = loadBundle()

func loadBundle() *i18n.Bundle {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	for _, l := range Languages {
		if _, err := b.LoadMessageFileFS(catalogues, "catalogue/"+string(l)+".yaml"); err != nil {
			panic(err) // the catalogues are part of the binary; their test proves they load
		}
	}
	return b
}

// Texts speaks one language.
type Texts struct {
	Language  Language
	localizer *i18n.Localizer
	printer   *message.Printer
}

// For is the texts of a language; an empty or unknown one is English.
func For(l Language) *Texts {
	if !l.Valid() {
		l = English
	}
	tag := language.Make(string(l))
	return &Texts{Language: l, localizer: i18n.NewLocalizer(bundle, string(l)), printer: message.NewPrinter(tag)}
}

// T is the message id in the language, its placeholders filled from data
// (name, value pairs). A message missing from the catalogue shows its id:
// the catalogues' test keeps that from shipping.
func (t *Texts) T(id string, data ...any) string {
	return t.localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: pairs(data)})
}

// Count is the message id in the plural form the language uses for n,
// which fills its {{.Count}}.
func (t *Texts) Count(id string, n int, data ...any) string {
	fields := pairs(data)
	fields["Count"] = n
	return t.localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: fields, PluralCount: n})
}

func (t *Texts) localize(config *i18n.LocalizeConfig) string {
	text, err := t.localizer.Localize(config)
	if err != nil {
		return config.MessageID
	}
	return text
}

func pairs(data []any) map[string]any {
	fields := map[string]any{}
	for i := 0; i+1 < len(data); i += 2 {
		fields[fmt.Sprint(data[i])] = data[i+1]
	}
	return fields
}

// Number is a number with the given decimals, as the language writes it:
// 1,234.50 in English, 1.234,50 in Dutch.
func (t *Texts) Number(v float64, decimals int) string {
	return t.printer.Sprint(number.Decimal(v, number.Scale(decimals)))
}

// Points is a score in points, with the decimals it has, up to two: 8,
// 24.3, 14.06 in English; 8, 24,3, 14,06 in Dutch.
func (t *Texts) Points(v float64) string {
	shortest := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	decimals := 0
	if dot := strings.IndexByte(shortest, '.'); dot >= 0 {
		decimals = len(shortest) - dot - 1
	}
	return t.Number(v, decimals)
}

// Percent is a percentage with one decimal: 28.7 % in English, 28,7 % in Dutch.
func (t *Texts) Percent(v float64) string { return t.Number(v, 1) + " %" }

// Date is a day as the language writes it in full: 30 November 2026, 30 november 2026.
func (t *Texts) Date(d time.Time) string {
	return t.T("date.day_month_year", "Day", d.Day(), "Month", t.T(months[d.Month()-1]), "Year", d.Year())
}

var months = [12]string{"month.1", "month.2", "month.3", "month.4", "month.5", "month.6",
	"month.7", "month.8", "month.9", "month.10", "month.11", "month.12"}

// Period is a waiting period as the language says it: in whole days from
// a day on (1 day, 3 days; 1 dag, 3 dagen), else in whole hours.
func (t *Texts) Period(period time.Duration) string {
	if period >= 24*time.Hour {
		return t.Count("period.days", int(period.Round(24*time.Hour)/(24*time.Hour)))
	}
	return t.Count("period.hours", int(period.Round(time.Hour)/time.Hour))
}
