package main

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

	"github.com/scoreflow/scoreflow/config"
	"github.com/scoreflow/scoreflow/lifecycle"
)

// managedPrefixes are the schedule ids scoreflow owns: it deletes those the config no longer wants.
var managedPrefixes = []string{"scoreflow-sweep/", "scoreflow-jira-poll/", "scoreflow-digest/"}

type wantedSchedule struct {
	id     string
	spec   client.ScheduleSpec
	action *client.ScheduleWorkflowAction
}

// desiredSchedules: one daily sweep per tenant, and one Jira poll per tenant
// when jira.poll_interval is set.
func desiredSchedules(cfg *config.Config) []wantedSchedule {
	var out []wantedSchedule
	for _, t := range cfg.Tenants {
		out = append(out, wantedSchedule{
			id: lifecycle.SweepScheduleID(t.ID),
			spec: client.ScheduleSpec{
				CronExpressions: []string{cfg.Sweep.Cron},
				TimeZoneName:    cfg.Sweep.Timezone,
				// Spreads a thousand tenants over the jitter window instead of one second.
				Jitter: cfg.Sweep.Jitter.D(),
			},
			action: &client.ScheduleWorkflowAction{
				ID:                    "scoreflow-sweep/" + t.ID, // Temporal appends the scheduled time
				Workflow:              lifecycle.TenantSweepWorkflowType,
				Args:                  []any{lifecycle.SweepInput{TenantID: t.ID}},
				TaskQueue:             cfg.Temporal.TaskQueue,
				TypedSearchAttributes: temporal.NewSearchAttributes(lifecycle.TenantIDKey.ValueSet(t.ID)),
				StaticSummary:         "Daily Secure Score sweep of " + t.Name,
			},
		})
		out = append(out, wantedSchedule{
			id: lifecycle.DigestScheduleID(t.ID),
			spec: client.ScheduleSpec{
				CronExpressions: []string{digestCron(t)},
				TimeZoneName:    cfg.Sweep.Timezone,
			},
			action: &client.ScheduleWorkflowAction{
				ID:                    "scoreflow-digest/" + t.ID,
				Workflow:              lifecycle.TenantDigestWorkflowType,
				Args:                  []any{t.ID},
				TaskQueue:             cfg.Temporal.TaskQueue,
				TypedSearchAttributes: temporal.NewSearchAttributes(lifecycle.TenantIDKey.ValueSet(t.ID)),
				StaticSummary:         "Regular-meeting digest of " + t.Name,
			},
		})
		if interval := cfg.Jira.PollInterval.D(); interval > 0 {
			out = append(out, wantedSchedule{
				id:   lifecycle.JiraPollScheduleID(t.ID),
				spec: client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: interval}}},
				action: &client.ScheduleWorkflowAction{
					ID:                    "scoreflow-jira-poll/" + t.ID,
					Workflow:              lifecycle.JiraPollWorkflowType,
					Args:                  []any{t.ID},
					TaskQueue:             cfg.Temporal.TaskQueue,
					TypedSearchAttributes: temporal.NewSearchAttributes(lifecycle.TenantIDKey.ValueSet(t.ID)),
					StaticSummary:         "Jira polling of " + t.Name + " (webhooks off)",
				},
			})
		}
	}
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
			logger.Info().Str("schedule", entry.ID).Msg("deleted a schedule the config no longer wants")
		}
	}
	logger.Info().Int("schedules", len(wanted)).Str("cron", cfg.Sweep.Cron).Str("timezone", cfg.Sweep.Timezone).Msg("schedules are up to date")
	return nil
}

// digestCron is the tenant's regular meeting, e.g. "0 9 * * 1" for monday 09:00.
func digestCron(t config.Tenant) string {
	at, _ := time.Parse("15:04", t.Digest.Time) // validated with the config
	return fmt.Sprintf("%d %d * * %d", at.Minute(), at.Hour(), t.DigestWeekday())
}

func managed(id string) bool {
	for _, p := range managedPrefixes {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}
