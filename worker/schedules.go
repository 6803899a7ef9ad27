package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rs/zerolog"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/scoreflow/scoreflow/config"
	"github.com/scoreflow/scoreflow/lifecycle"
)

const sweepSchedulePrefix = "scoreflow-sweep/"

// ensureSweepSchedules creates or updates one daily sweep Schedule per
// configured tenant, and deletes those of tenants no longer configured, so
// the schedules always match the config after a worker start.
func ensureSweepSchedules(ctx context.Context, c client.Client, cfg *config.Config, logger zerolog.Logger) error {
	schedules := c.ScheduleClient()
	wanted := map[string]bool{}
	for _, t := range cfg.Tenants {
		id := lifecycle.SweepScheduleID(t.ID)
		wanted[id] = true
		spec := client.ScheduleSpec{
			CronExpressions: []string{cfg.Sweep.Cron},
			TimeZoneName:    cfg.Sweep.Timezone,
			// Spreads a thousand tenants over the jitter window instead of one second.
			Jitter: cfg.Sweep.Jitter.D(),
		}
		action := &client.ScheduleWorkflowAction{
			ID:                    sweepSchedulePrefix + t.ID, // Temporal appends the scheduled time
			Workflow:              lifecycle.TenantSweepWorkflowType,
			Args:                  []any{lifecycle.SweepInput{TenantID: t.ID}},
			TaskQueue:             cfg.Temporal.TaskQueue,
			TypedSearchAttributes: temporal.NewSearchAttributes(lifecycle.TenantIDKey.ValueSet(t.ID)),
			StaticSummary:         "Daily Secure Score sweep of " + t.Name,
		}
		_, err := schedules.Create(ctx, client.ScheduleOptions{
			ID: id, Spec: spec, Action: action,
			// A sweep still running when the next is due (Graph throttling for hours) is not doubled.
			Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
			Note:    "managed by scoreflow: changed at every worker start to match the config",
		})
		if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
			err = schedules.GetHandle(ctx, id).Update(ctx, client.ScheduleUpdateOptions{
				DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
					schedule := in.Description.Schedule
					schedule.Spec, schedule.Action = &spec, action
					return &client.ScheduleUpdate{Schedule: &schedule}, nil
				},
			})
		}
		if err != nil {
			return fmt.Errorf("schedule %s: %w", id, err)
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
		if strings.HasPrefix(entry.ID, sweepSchedulePrefix) && !wanted[entry.ID] {
			if err := schedules.GetHandle(ctx, entry.ID).Delete(ctx); err != nil {
				return fmt.Errorf("deleting schedule %s of a removed tenant: %w", entry.ID, err)
			}
			logger.Info().Str("schedule", entry.ID).Msg("deleted the sweep schedule of a tenant no longer configured")
		}
	}
	logger.Info().Int("tenants", len(cfg.Tenants)).Str("cron", cfg.Sweep.Cron).Str("timezone", cfg.Sweep.Timezone).Msg("sweep schedules are up to date")
	return nil
}
