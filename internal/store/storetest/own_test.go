package storetest_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/scoreflow/scoreflow/internal/store/storetest"
)

func TestOwnPostgresStopsAndStarts(t *testing.T) {
	s := storetest.OwnPostgres(t)
	db, _ := sql.Open("pgx", s.DSN())
	defer db.Close()
	if err := db.PingContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	if err := db.PingContext(context.Background()); err == nil {
		t.Fatal("ping after stop")
	}
	s.Start()
	if err := db.PingContext(context.Background()); err != nil {
		t.Fatal(err)
	}
}
