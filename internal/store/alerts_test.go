package store_test

import (
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

// A score that falls 3 points from one day to the next raises one alert,
// naming the controls that fell; the same day checked again raises none
// once the MSP was told; acknowledged, or recovered, it no longer shows.
func TestAOneDayDropRaisesOneAlert(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ string, open func() *store.DB) {
		s := open()
		record := func(d int, score float64, controls ...store.ControlDay) {
			t.Helper()
			if err := s.RecordDays(ctx, "contoso", []store.TenantDay{{Day: day(d), CurrentScore: score, MaxScore: 100}}, controls, nil); err != nil {
				t.Fatal(err)
			}
		}
		record(0, 30, control("AdminMFAV2", 0, 10, "Default"), control("RoleOverlap", 0, 4, "Default"))
		record(1, 30.5)
		check := lifecycle.AlertCheck{TenantID: "contoso", Day: day(1)}
		if _, raised, err := s.CheckScoreDrop(ctx, check, 2); err != nil || raised {
			t.Fatalf("a rise raised an alert: %v %v", raised, err)
		}
		record(2, 27.5, control("AdminMFAV2", 2, 8, "Default"), control("RoleOverlap", 2, 3, "Default"))
		check.Day = day(2)
		alert, raised, err := s.CheckScoreDrop(ctx, check, 2)
		if err != nil || !raised || !alert.Raise || alert.Drop() != 3 || len(alert.Fell) != 2 ||
			alert.Fell[0] != (lifecycle.ControlFall{ControlID: "AdminMFAV2", Title: "Title of AdminMFAV2", Before: 10, After: 8, Regressed: true}) ||
			alert.Fell[1].Regressed {
			t.Fatalf("a 3-point drop: %+v, raised %v, %v", alert, raised, err)
		}
		// Not told yet (the activity died): the check says so again; told, it does not.
		if again, _, _ := s.CheckScoreDrop(ctx, check, 2); !again.Raise {
			t.Error("an alert not yet told is not raised again")
		}
		if err := s.MarkAlertRaised(ctx, "contoso", day(2)); err != nil {
			t.Fatal(err)
		}
		if again, raised, _ := s.CheckScoreDrop(ctx, check, 2); !raised || again.Raise {
			t.Errorf("the same day checked again raises it anew: %+v", again)
		}
		shown, err := s.OpenAlerts(ctx, "")
		if err != nil || len(shown["contoso"]) != 1 || !shown["contoso"][0].Day.Equal(day(2)) {
			t.Fatalf("open alerts = %+v, %v", shown, err)
		}
		if err := s.AcknowledgeAlert(ctx, "contoso", day(2), "Sam Specialist", time.Now()); err != nil {
			t.Fatal(err)
		}
		if shown, _ := s.OpenAlerts(ctx, ""); len(shown) != 0 {
			t.Errorf("an acknowledged alert shows: %+v", shown)
		}
		// A regression alone raises an alert, and a recovered score ends it.
		record(3, 29.5, control("AdminMFAV2", 3, 10, "Default")) // completed again
		record(4, 29.4, control("AdminMFAV2", 4, 9.9, "Default"))
		check.Day = day(4)
		if alert, raised, _ := s.CheckScoreDrop(ctx, check, 2); !raised || !alert.Fell[0].Regressed {
			t.Errorf("a regression of 0.1 point raised %v: %+v", raised, alert)
		}
		if shown, _ := s.OpenAlerts(ctx, ""); len(shown["contoso"]) != 1 {
			t.Errorf("the regression's alert does not show: %+v", shown)
		}
		record(5, 30)
		if shown, _ := s.OpenAlerts(ctx, ""); len(shown) != 0 {
			t.Errorf("a recovered score still shows its alert: %+v", shown)
		}
	})
}
