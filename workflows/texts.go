package workflows

import (
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// mspTexts speaks the language the workflow's starter named in its memo
// (lifecycle.MSPLanguageMemo): the Web UI's summaries and details are the
// MSP's. The memo is part of the run's start, so every replay reads the
// same language.
func mspTexts(ctx workflow.Context) *texts.Texts {
	var language string
	if field, ok := workflow.GetInfo(ctx).Memo.GetFields()[lifecycle.MSPLanguageMemo]; ok {
		if err := converter.GetDefaultDataConverter().FromPayload(field, &language); err != nil {
			logging.WriteSDK(workflow.GetLogger(ctx).Warn, "log.workflow.memo_unreadable", "Error", err)
		}
	}
	return texts.For(texts.Language(language))
}
