-- Schema 5: what the MSP's fleet pages read: one control across every tenant.

-- +goose Up
-- A control's latest values in every tenant, found by the control.
CREATE INDEX control_scores_by_control ON control_scores (control_id, tenant_id, day);
-- The customers' decisions on a control, in every tenant: the steps that
-- left the decision's stage, which are few among all steps.
CREATE INDEX transitions_decisions ON transitions (control_id, at) WHERE from_stage = 'awaiting_decision';

-- +goose Down
DROP INDEX transitions_decisions;
DROP INDEX control_scores_by_control;
