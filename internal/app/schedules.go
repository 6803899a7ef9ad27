package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/texts"
)

type wantedSchedule struct {
	id     string
	spec   client.ScheduleSpec
	action *client.ScheduleWorkflowAction
}

// tenantSchedule is one of a tenant's Schedules: the workflows it starts take
// the Schedule's ID (Temporal appends the scheduled time) and the tenant's id
// as a search attribute, so the Web UI lists them with the tenant's recommendations.
func tenantSchedule(cfg *config.Config, t config.Tenant, id, workflowType, summary string, arg any, spec client.ScheduleSpec) wantedSchedule {
	return wantedSchedule{id: id, spec: spec, action: &client.ScheduleWorkflowAction{
		ID:                    id,
		Workflow:              workflowType,
		Args:                  []any{arg},
		TaskQueue:             cfg.Temporal.TaskQueue,
		TypedSearchAttributes: temporal.NewSearchAttributes(lifecycle.TenantIDKey.ValueSet(t.ID)),
		StaticSummary:         summary,
		Memo:                  lifecycle.MSPMemo(string(cfg.MSPLanguage)),
	}}
}

// desiredSchedules: per tenant, the daily sweep, the regular-meeting digest,
// and the ticket poll when jira.poll_interval is set.
func desiredSchedules(cfg *config.Config) []wantedSchedule {
	var out []wantedSchedule
	words := texts.For(cfg.MSPLanguage)
	for _, t := range cfg.Tenants {
		sweep := tenantSchedule(cfg, t, lifecycle.SweepScheduleID(t.ID), lifecycle.TenantSweepWorkflowType,
			words.T("ui.schedule.sweep", "Tenant", t.Name), lifecycle.SweepInput{TenantID: t.ID}, client.ScheduleSpec{
				CronExpressions: []string{cfg.Sweep.Cron},
				TimeZoneName:    cfg.Sweep.Timezone,
				// Spreads a thousand tenants over the jitter window instead of one second.
				Jitter: cfg.Sweep.Jitter.D(),
			})
		sweep.action.Priority = lifecycle.BackgroundPriority
		out = append(out, sweep)
		out = append(out, tenantSchedule(cfg, t, lifecycle.DigestScheduleID(t.ID), lifecycle.TenantDigestWorkflowType,
			words.T("ui.schedule.digest", "Tenant", t.Name), t.ID, client.ScheduleSpec{
				CronExpressions: []string{digestCron(t)},
				TimeZoneName:    cfg.Sweep.Timezone,
			}))
		if interval := cfg.Jira.PollInterval.D(); interval > 0 {
			out = append(out, tenantSchedule(cfg, t, lifecycle.TicketPollScheduleID(t.ID), lifecycle.TicketPollWorkflowType,
				words.T("ui.schedule.poll", "Tenant", t.Name), t.ID, client.ScheduleSpec{
					Intervals: []client.ScheduleIntervalSpec{{Every: interval}},
				}))
		}
	}
	if cfg.Store.Disabled {
		return out
	}
	// The store's pruning, once a day at night, in the sweeps' time zone.
	out = append(out, wantedSchedule{id: lifecycle.PruneScheduleID,
		spec: client.ScheduleSpec{CronExpressions: []string{"17 3 * * *"}, TimeZoneName: cfg.Sweep.Timezone},
		action: &client.ScheduleWorkflowAction{ID: lifecycle.PruneScheduleID, Workflow: lifecycle.PruneHistoryWorkflowType,
			TaskQueue: cfg.Temporal.TaskQueue, Memo: lifecycle.MSPMemo(string(cfg.MSPLanguage)), Priority: lifecycle.BackgroundPriority,
			StaticSummary: words.T("ui.schedule.prune", "Retention", words.Period(cfg.Store.Retention.D()))}})
	return out
}

// ensureSchedules creates or updates the schedules the config wants and
// deletes scoreflow's others, so they always match the config after a start.
func ensureSchedules(ctx context.Context, c client.Client, cfg *config.Config, logger zerolog.Logger) error {
	schedules := c.ScheduleClient()
	wanted := map[string]bool{}
	for _, w := range desiredSchedules(cfg) {
		wanted[w.id] = true
		spec, action := w.spec, w.action
		_, err := schedules.Create(ctx, client.ScheduleOptions{
			ID: w.id, Spec: spec, Action: action,
			// A run still going when the next is due (Graph throttling for hours) is not doubled.
			Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
			Note:    "managed by scoreflow: changed at every worker start to match the config",
		})
		if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
			err = schedules.GetHandle(ctx, w.id).Update(ctx, client.ScheduleUpdateOptions{
				DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
					schedule := in.Description.Schedule
					schedule.Spec, schedule.Action = &spec, action
					return &client.ScheduleUpdate{Schedule: &schedule}, nil
				},
			})
		}
		if err != nil {
			return fmt.Errorf("schedule %s: %w", w.id, err)
		}
	}
	iterator, err := schedules.List(ctx, client.ScheduleListOptions{PageSize: 100})
	if err != nil {
		return fmt.Errorf("listing schedules: %w", err)
	}
	for iterator.HasNext() {
		entry, err := iterator.Next()
		if err != nil {
			return fmt.Errorf("listing schedules: %w", err)
		}
		if managed(entry.ID) && !wanted[entry.ID] {
			if err := schedules.GetHandle(ctx, entry.ID).Delete(ctx); err != nil {
				return fmt.Errorf("deleting schedule %s: %w", entry.ID, err)
			}
			logging.Write(logger.Info().Str("schedule", entry.ID), "log.schedules.deleted")
		}
	}
	logging.Write(logger.Info().Int("schedules", len(wanted)).Str("cron", cfg.Sweep.Cron).Str("timezone", cfg.Sweep.Timezone), "log.schedules.current")
	return nil
}

// digestCron is the tenant's regular meeting, e.g. "0 9 * * 1" for monday 09:00.
func digestCron(t config.Tenant) string {
	at, _ := time.Parse("15:04", t.Digest.Time) // validated with the config
	return fmt.Sprintf("%d %d * * %d", at.Minute(), at.Hour(), t.DigestWeekday())
}

// managed reports whether scoreflow owns a Schedule: it deletes those the config no longer wants.
func managed(id string) bool {
	for _, p := range lifecycle.ManagedSchedulePrefixes {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}
