package lifecycle

// MSPLanguageMemo is the memo field that names the language (config
// msp_language) a workflow writes its Web UI summaries and details in.
// Every workflow scoreflow starts carries it, and continue-as-new keeps
// it; a workflow without it writes English.
const MSPLanguageMemo = "msp_language"

// MSPMemo is the memo of a workflow that speaks the MSP's language.
func MSPMemo(language string) map[string]any {
	return map[string]any{MSPLanguageMemo: language}
}
