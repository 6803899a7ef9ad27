package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// postmaster is the PID of the PostgreSQL server at url when it runs on this
// machine, read as the parent of the connection's backend; 0 when the
// server is elsewhere, where its CPU cannot be read.
func postmaster(b *testing.B, url string) int {
	db, err := sql.Open("pgx", url)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var backend int
	if err := db.QueryRow("SELECT pg_backend_pid()").Scan(&backend); err != nil {
		b.Fatal(err)
	}
	fields, ok := procStat(backend)
	if !ok {
		return 0
	}
	parent, _ := strconv.Atoi(fields[1])
	if comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", parent)); err != nil || strings.TrimSpace(string(comm)) != "postgres" {
		return 0
	}
	return parent
}

// postgresTicks is the CPU time PostgreSQL has used, user and system, in
// ticks: the postmaster's own, its running backends', and that of the
// backends it has reaped, which Linux adds to its children's time.
func postgresTicks(b *testing.B, postmaster int) int64 {
	fields, ok := procStat(postmaster)
	if !ok {
		b.Fatalf("PostgreSQL's postmaster %d is gone", postmaster)
	}
	ticks := fieldSum(fields, 11, 12, 13, 14) // utime, stime, cutime, cstime
	parent := strconv.Itoa(postmaster)
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range stats {
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(path)))
		if child, ok := procStat(pid); ok && child[1] == parent {
			ticks += fieldSum(child, 11, 12)
		}
	}
	return ticks
}
