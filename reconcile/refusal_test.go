package reconcile_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/smsadmintest"
)

// refusing refuses every brand at submission, as Telnyx answers a form
// it will not take (a 4xx naming the fields).
type refusing struct {
	smsadmin.Carrier
	err *smsadmin.CarrierError
}

func (c refusing) SubmitBrand(context.Context, string, *smsadmin.Brand) (string, error) {
	return "", c.err
}

// R12: a brand the carrier refuses at submission is rejected at once with
// the carrier's field errors, or, when it named no field, one error with
// its code and message, for the admin to correct; it is not asked again.
func TestSubmissionRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		err  *smsadmin.CarrierError
		want []smsadmin.FieldError
	}{
		{"fields named", &smsadmin.CarrierError{Kind: smsadmin.CarrierRefused, Code: "10015", Message: "Telnyx answered 422: ...",
			Fields: []smsadmin.FieldError{{Field: "legal_name", Code: "too_long", Message: "At most 100 characters."}}},
			[]smsadmin.FieldError{{Field: "legal_name", Code: "too_long", Message: "At most 100 characters."}}},
		{"no field named", &smsadmin.CarrierError{Kind: smsadmin.CarrierRefused, Code: "10002", Message: "Telnyx answered 400: Invalid brand"},
			[]smsadmin.FieldError{{Code: "10002", Message: "Telnyx answered 400: Invalid brand"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Faults{})
			e.Reconciler = e.NewReconciler("A", refusing{Carrier: e.Sim, err: tt.err})
			tn := e.Tenant("Acme")
			b := tn.SubmitBrand(smsadmintest.Brand("US"))
			e.Step()
			if got := tn.GetBrand(b); got.Status != smsadmin.StatusRejected || !slices.Equal(got.Errors, tt.want) {
				t.Fatalf("refused brand = %s %+v, want rejected with %+v", got.Status, got.Errors, tt.want)
			}
			e.Clock.Advance(time.Hour)
			if n := e.Step(); n != 0 {
				t.Errorf("%d rows due after the refusal, want none: a refusal is not asked again", n)
			}
		})
	}
}
