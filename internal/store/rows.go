package store

import (
	"context"
	"database/sql"
)

// queryFunc runs a query: the store's pool (db.QueryContext) or a writer's
// transaction (writeTx.query).
type queryFunc func(ctx context.Context, query string, args ...any) (*sql.Rows, error)

// queryEach runs a query and hands each row to read, in order, then closes
// the rows. The query's error, read's and the rows' own come back alike.
func queryEach(ctx context.Context, run queryFunc, read func(*sql.Rows) error, query string, args ...any) error {
	rows, err := run(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := read(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// queryAll runs a query and scans each row into a slice, in order.
func queryAll[T any](ctx context.Context, run queryFunc, scan func(*sql.Rows) (T, error), query string, args ...any) ([]T, error) {
	var all []T
	err := queryEach(ctx, run, func(rows *sql.Rows) error {
		item, err := scan(rows)
		if err == nil {
			all = append(all, item)
		}
		return err
	}, query, args...)
	return all, err
}
