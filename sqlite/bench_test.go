package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
)

// The benchmarks time the store's hot writes as the service makes them:
// one Update holding the change and its audit entry, committed durably
// (synchronous=FULL). Compare drivers with
//
//	go test -run '^$' -bench . -benchtime 2000x ./sqlite
//	go test -tags sqlite_mattn -run '^$' -bench . -benchtime 2000x ./sqlite
//
// BENCHMARKS.md has the figures.

var benchTime = time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)

// benchStore opens a store in a temporary file with one tenant, users
// users and numbers numbers.
func benchStore(b *testing.B, users, numbers int) (*Store, *smsadmin.Tenant, []*smsadmin.User, []*smsadmin.PhoneNumber) {
	b.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	tn := &smsadmin.Tenant{ID: smsadmin.NewID("ten", benchTime), Name: "Bench", CreatedAt: benchTime}
	var us []*smsadmin.User
	var ns []*smsadmin.PhoneNumber
	err = s.Update(ctx, func(tx smsadmin.Tx) error {
		if err := tx.TenantCreate(ctx, tn); err != nil {
			return err
		}
		for i := range users {
			u := benchUser(tn.ID, i)
			if err := tx.UserCreate(ctx, u); err != nil {
				return err
			}
			us = append(us, u)
		}
		for i := range numbers {
			n := &smsadmin.PhoneNumber{TenantID: tn.ID, Number: fmt.Sprintf("+1415%07d", i), Country: "US",
				CreatedAt: benchTime, UpdatedAt: benchTime}
			if err := tx.NumberCreate(ctx, n); err != nil {
				return err
			}
			ns = append(ns, n)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s, tn, us, ns
}

func benchUser(tenantID string, i int) *smsadmin.User {
	return &smsadmin.User{TenantID: tenantID, ID: smsadmin.NewID("usr", benchTime), Name: fmt.Sprintf("User %d", i),
		Email: fmt.Sprintf("user%d@example.com", i), CreatedAt: benchTime, UpdatedAt: benchTime}
}

// benchAudit is an audit entry the size of a real one.
func benchAudit(tenantID, action, object string, before, after any) *smsadmin.AuditEntry {
	e := &smsadmin.AuditEntry{TenantID: tenantID, At: benchTime, Actor: "prn_bench", ActorRole: smsadmin.RoleAdmin,
		ActorName: "Bench", Action: action, Object: object, RequestID: "req_bench"}
	if before != nil {
		e.Before, _ = json.Marshal(before)
	}
	if after != nil {
		e.After, _ = json.Marshal(after)
	}
	return e
}

// reportOps adds the throughput to the benchmark's output.
func reportOps(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkUserCreate: one Update = UserCreate + AuditAppend.
func BenchmarkUserCreate(b *testing.B) {
	s, tn, _, _ := benchStore(b, 0, 0)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		u := benchUser(tn.ID, i)
		i++
		err := s.Update(ctx, func(tx smsadmin.Tx) error {
			if err := tx.UserCreate(ctx, u); err != nil {
				return err
			}
			return tx.AuditAppend(ctx, benchAudit(tn.ID, smsadmin.ActionUserCreate, "user/"+u.ID, nil, u))
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	reportOps(b)
}

// numberOwnerChange gives n to owner and appends the audit entry, in one
// Update, as the service does.
func numberOwnerChange(ctx context.Context, s *Store, n smsadmin.PhoneNumber, owner *smsadmin.User) error {
	return s.Update(ctx, func(tx smsadmin.Tx) error {
		before := n
		n.UserID = owner.ID
		n.UpdatedAt = benchTime
		if err := tx.NumberUpdate(ctx, &n); err != nil {
			return err
		}
		return tx.AuditAppend(ctx, benchAudit(n.TenantID, smsadmin.ActionNumberUpdate, "number/"+n.Number, before, n))
	})
}

// BenchmarkNumberUpdate: one Update = NumberUpdate (owner change) +
// AuditAppend.
func BenchmarkNumberUpdate(b *testing.B) {
	s, _, users, numbers := benchStore(b, 2, 1)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if err := numberOwnerChange(ctx, s, *numbers[0], users[i%2]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportOps(b)
}

// BenchmarkNumberUpdateParallel is BenchmarkNumberUpdate from 4 goroutines
// per core, each on its own number: concurrent requests queue for the one
// writer.
func BenchmarkNumberUpdateParallel(b *testing.B) {
	const parallelism = 4
	s, _, users, numbers := benchStore(b, 2, 64)
	ctx := context.Background()
	var next atomic.Int64
	b.SetParallelism(parallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		n := numbers[int(next.Add(1)-1)%len(numbers)]
		i := 0
		for pb.Next() {
			if err := numberOwnerChange(ctx, s, *n, users[i%2]); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	reportOps(b)
}

// benchNumbers is how many numbers the work benchmarks hold.
const benchNumbers = 100_000

// benchWorkStore is benchStore with benchNumbers numbers, every one due at
// benchTime.
func benchWorkStore(b *testing.B) *Store {
	b.Helper()
	s, _, _, _ := benchStore(b, 0, benchNumbers)
	// One statement rather than 100,000 NumberUpdates: setting up is not
	// what is measured.
	if _, err := s.writer.Exec(`UPDATE phone_numbers SET due_at = ?`, formatTime(benchTime)); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkWorkClaimNumbers: one Update = WorkClaim of 100 numbers among
// 100,000 due ones. Each claim comes when the previous one's lease ended,
// so that there is always work: the numbers never claimed first, then the
// longest due.
func BenchmarkWorkClaimNumbers(b *testing.B) {
	const batch, lease = 100, time.Minute
	s := benchWorkStore(b)
	ctx := context.Background()
	now := benchTime
	for b.Loop() {
		now = now.Add(lease)
		err := s.Update(ctx, func(tx smsadmin.Tx) error {
			keys, err := tx.WorkClaim(ctx, smsadmin.WorkClaimParams{Kind: smsadmin.KindNumber, Owner: "bench",
				Now: now, Until: now.Add(lease), Limit: batch})
			if err == nil && len(keys) != batch {
				err = fmt.Errorf("claimed %d numbers, want %d", len(keys), batch)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	reportOps(b)
}

// BenchmarkWorkStatsNumbers: one View = WorkStats of numbers, 100,000 of
// them planned, as the reconciler reads it after every batch.
func BenchmarkWorkStatsNumbers(b *testing.B) {
	s := benchWorkStore(b)
	ctx := context.Background()
	for b.Loop() {
		err := s.View(ctx, func(tx smsadmin.Tx) error {
			_, err := tx.WorkStats(ctx, smsadmin.WorkStatsParams{Kind: smsadmin.KindNumber, Now: benchTime, OverdueBefore: benchTime})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	reportOps(b)
}
