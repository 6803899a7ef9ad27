package dashboard

import (
	"encoding/csv"
	"net/http"
	"strings"
)

// wantsCSV reports whether the request asks for the page's table as CSV (?format=csv).
func wantsCSV(r *http.Request) bool { return r.URL.Query().Get("format") == "csv" }

// writeCSV answers with a table as a CSV file to download. A cell a
// spreadsheet would take for a formula (a customer's reason starting with
// "=", say) is written as text.
func writeCSV(w http.ResponseWriter, name string, header []string, rows [][]string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	w.Header().Set("Cache-Control", "private, no-store")
	out := csv.NewWriter(w)
	_ = out.Write(header)
	for _, row := range rows {
		for i, cell := range row {
			row[i] = asText(cell)
		}
		_ = out.Write(row)
	}
	out.Flush()
}

// asText keeps a cell from being read as a formula.
func asText(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
