package reconcile_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/around"
	"smsadmin/carrier/sim"
	"smsadmin/reconcile"
	"smsadmin/smsadmintest"
)

// calls counts the calls made of a carrier, by method (around's names:
// "EnableNumber", "AssignNumber", "NumberStatus" ...).
type calls struct {
	smsadmin.Carrier
	mu sync.Mutex
	n  map[string]int
	// loseAssign loses the answer of every assignment the carrier
	// accepts, as a timeout after the carrier took the request does.
	loseAssign bool
}

func counted(next smsadmin.Carrier) *calls {
	c := &calls{n: map[string]int{}}
	c.Carrier = around.New(next, func(_ context.Context, call, _ string, do func() error) error {
		c.mu.Lock()
		c.n[call]++
		c.mu.Unlock()
		err := do()
		if err == nil && call == "AssignNumber" && c.loseAssign {
			return &smsadmin.CarrierError{Kind: smsadmin.CarrierTransient, Code: "timeout", Message: "answer lost"}
		}
		return err
	})
	return c
}

func (c *calls) get(call string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[call]
}

// reportNumber is the number the report tests enable.
const reportNumber = "+14155550181"

// reportEnv is an env whose reconciler relies on the carrier's callbacks
// and counts the calls about numbers, with a campaign verified and a
// user's number enabled through it.
func reportEnv(t *testing.T) (*env, *calls, *smsadmintest.Tenant, string) {
	e := newEnv(t, sim.Faults{}, smsadmintest.WithCallbacks())
	tn := e.Tenant("Acme")
	camp := tn.VerifiedCampaign("US")
	tn.LicensedUser("a", reportNumber)
	car := counted(e.Sim)
	e.Reconciler = e.NewReconciler("A", car)
	e.enable(tn, reportNumber)
	e.waitStatus(tn, reportNumber, smsadmin.NumberEnabledUnassigned)
	return e, car, tn, camp
}

// With a carrier that calls back what it did, a number goes from enable to
// its campaign in two carrier calls, the floor: each operation is asked on
// what smsadmin last knew and settled by the report of its end, without a
// look at the carrier.
func TestReportsSettleWithoutLooks(t *testing.T) {
	t.Parallel()
	e, car, tn, camp := reportEnv(t)
	const num = reportNumber
	e.assign(tn, camp, num)
	e.waitStatus(tn, num, smsadmin.NumberEnabledAssigned)
	if got := [3]int{car.get("EnableNumber"), car.get("AssignNumber"), car.get("NumberStatus")}; got != [3]int{1, 1, 0} {
		t.Errorf("enable, assign, status calls = %v, want [1 1 0]", got)
	}
	if n := e.auditCount(tn, smsadmin.ActionNumberCarrier); n == 0 {
		t.Error("the carrier's changes were not audited")
	}

	// R22: a change the carrier makes on its own comes as a report that
	// settles nothing: the number is looked at and repaired.
	if err := e.Sim.DropNumber(num); err != nil {
		t.Fatal(err)
	}
	e.waitStatus(tn, num, smsadmin.NumberPending)
	e.waitStatus(tn, num, smsadmin.NumberEnabledAssigned)
	if car.get("NumberStatus") == 0 || car.get("AssignNumber") != 2 {
		t.Errorf("after the drop: %d looks, %d assignments; want a look and a second assignment", car.get("NumberStatus"), car.get("AssignNumber"))
	}

	// R22: the recheck of a converged number looks, callbacks or not.
	looks := car.get("NumberStatus")
	e.Clock.Advance(31 * time.Hour)
	e.Step()
	if car.get("NumberStatus") != looks+1 {
		t.Errorf("the recheck made %d looks, want 1", car.get("NumberStatus")-looks)
	}
}

// A report that ends an earlier operation, come late, settles nothing:
// the number is looked at, and the assignment in flight is followed to its
// own end, not asked again.
func TestStaleReportSettlesNothing(t *testing.T) {
	t.Parallel()
	e, car, tn, camp := reportEnv(t)
	const num = reportNumber
	e.assign(tn, camp, num)
	e.Step() // asks the assignment
	if car.get("AssignNumber") != 1 {
		t.Fatalf("%d assignments asked, want 1", car.get("AssignNumber"))
	}
	stale := smsadmin.CarrierEvent{Kind: smsadmin.KindNumber, Ref: num, Number: &smsadmin.NumberReport{
		At: e.Clock.Now(), Seq: 1 << 40, Op: smsadmin.OpEnable, Key: num + "/1",
		Observed: smsadmin.NumberObservation{Provisioned: true, Raw: "PROVISIONED"}}}
	if err := e.Service.CarrierEvent(context.Background(), stale); err != nil {
		t.Fatal(err)
	}
	e.Step() // looks: the assignment is still in flight
	if got := e.sms(tn, num).Status; got != smsadmin.NumberPending || car.get("NumberStatus") != 1 {
		t.Fatalf("after the stale report: %s with %d looks, want pending after 1 look", got, car.get("NumberStatus"))
	}
	e.waitStatus(tn, num, smsadmin.NumberEnabledAssigned)
	if car.get("AssignNumber") != 1 {
		t.Errorf("%d assignments asked, want 1", car.get("AssignNumber"))
	}
}

// An assignment the carrier took but whose answer was lost is settled by
// the report of its end: it is not asked again.
func TestLostAnswerSettledByReport(t *testing.T) {
	t.Parallel()
	e, car, tn, camp := reportEnv(t)
	const num = reportNumber
	car.loseAssign = true
	e.assign(tn, camp, num)
	e.Step() // asks; the answer is lost
	// The carrier ends it, and its report comes before the retry is due.
	e.Clock.Advance(2 * time.Second)
	e.Step()
	if got := e.sms(tn, num).Status; got != smsadmin.NumberEnabledAssigned {
		t.Fatalf("after the report: %s, want enabled_assigned", got)
	}
	if car.get("AssignNumber") != 1 || car.get("NumberStatus") != 0 {
		t.Errorf("%d assignments and %d looks, want 1 and 0", car.get("AssignNumber"), car.get("NumberStatus"))
	}
}

// Of two reports, the later holds, whatever order they come in.
func TestReportKeepsTheLater(t *testing.T) {
	t.Parallel()
	at := smsadmintest.Start
	var s smsadmin.SMSState
	first := smsadmin.NumberReport{At: at, Seq: 5, Key: "k1"}
	for _, tc := range []struct {
		rep  smsadmin.NumberReport
		kept bool
	}{
		{first, true},
		{smsadmin.NumberReport{At: at, Seq: 5, Key: "again"}, false},
		{smsadmin.NumberReport{At: at, Seq: 4, Key: "earlier"}, false},
		{smsadmin.NumberReport{At: at.Add(-time.Second), Seq: 9, Key: "older"}, false},
		{smsadmin.NumberReport{At: at, Seq: 6, Key: "k2"}, true},
		{smsadmin.NumberReport{At: at.Add(time.Second), Seq: 1, Key: "k3"}, true},
	} {
		if got := s.Report(tc.rep); got != tc.kept {
			t.Errorf("Report(%+v) = %v, want %v", tc.rep, got, tc.kept)
		}
	}
	if s.Reported.Key != "k3" {
		t.Errorf("kept %q, want k3", s.Reported.Key)
	}
}

// A report is worked ahead of the backlog that came after its operation
// began: a number the carrier has finished does not stay pending until
// every number of the same bulk request has been asked.
func TestReportAheadOfBacklog(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	nums := []string{"+14155550191", "+14155550192", "+14155550193"}
	for i, n := range nums {
		tn.LicensedUser(string(rune('a'+i)), n)
	}
	car := counted(e.Sim)
	// One row a pass: the backlog is worked one number at a time.
	cfg := e.ReconcilerConfig("A", car)
	cfg.Callbacks, cfg.Batch, cfg.Workers = true, 1, 1
	e.Reconciler = reconcile.New(cfg)
	e.enable(tn, nums...)
	e.Step() // asks the first number's enable
	e.Clock.Advance(2 * time.Second)
	e.Step() // the carrier finished it: its report comes first
	if got := e.sms(tn, nums[0]).Status; got != smsadmin.NumberEnabledUnassigned {
		t.Errorf("the finished number is %s, want enabled_unassigned before the backlog is asked", got)
	}
	if got := car.get("EnableNumber"); got != 1 {
		t.Errorf("%d enables asked, want 1: the backlog went first", got)
	}
}

// A report wakes the reconciler, as a bare callback does: the number it
// settles does not wait for the reconciler's next idle look.
func TestReportWakesTheReconciler(t *testing.T) {
	t.Parallel()
	e, _, tn, camp := reportEnv(t)
	e.assign(tn, camp, reportNumber)
	e.Step() // asks the assignment
	e.woken.Store(0)
	e.Clock.Advance(2 * time.Second)
	if n := e.Sim.Deliver(); n != 1 {
		t.Fatalf("the carrier sent %d callbacks, want the assignment's report", n)
	}
	if e.woken.Load() == 0 {
		t.Error("the report did not wake the reconciler")
	}
}
