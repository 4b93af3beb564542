// Package sim is the built-in carrier simulator: a real implementation of
// smsadmin.Carrier that behaves like a 10DLC registry and carrier, with
// configurable delays, outcomes chosen by the input (like test card
// numbers), and, for tests, seeded fault injection.
//
// Outcomes (API.md): a number ending in 0999 fails enabling, 0998 fails
// assignment, 0997 fails disabling and unassigning; a message to a
// recipient ending in 0996 fails delivery with a reason; a brand whose
// legal_name or a campaign whose description contains "sim-reject" is
// rejected with an error on that field. Like a real carrier, it sends a
// message only from a number it provisioned and assigned to a verified
// campaign.
//
// The simulator stands for an outside party, so its state must outlive
// smsadmin's process: with Config.Journal set, every request it accepts is
// appended to a journal file and replayed at start. Outcomes follow from the
// requests, their times and the delays, so the replayed state is the state.
package sim

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"time"

	"smsadmin"
	"smsadmin/internal/ratelimit"
)

// Config is how a simulator behaves.
type Config struct {
	Clock smsadmin.Clock
	// Delay is how long provisioning, assigning or removing a number, or
	// delivering a message, takes.
	Delay time.Duration
	// ReviewDelay is how long vetting a brand or campaign takes.
	ReviewDelay time.Duration
	// Latency is how long each call takes to answer, as a real carrier's
	// round trip does (0: at once). It is wall time, not Clock time.
	Latency time.Duration
	// Rate is how many calls a second the simulated account accepts (0:
	// any number); a call above it is refused with 429 Too Many Requests
	// and a Retry-After, a transient error, as real carriers do. Bursts of
	// up to a second's calls pass.
	Rate float64
	// Journal is the file the simulator keeps its requests in ("" keeps
	// them only in memory). Simulators in several processes may share one
	// journal: each call locks the file and first applies what the others
	// appended, so that they act as one carrier (several smsadmin
	// instances on one database).
	Journal string
	// OnEvent receives callbacks ("look again at X", with what the
	// carrier holds for a number); nil sends none. OnEvents, when set,
	// receives instead the callbacks due at once in one call, as a
	// carrier that batches its webhooks sends them: smsadmin records them
	// in one transaction.
	OnEvent  func(smsadmin.CarrierEvent)
	OnEvents func([]smsadmin.CarrierEvent)
	// Faults, for tests.
	Faults Faults
}

// Faults injects the failures real carriers show. Rates are probabilities
// in [0, 1], drawn from a random source seeded with Seed so that a failing
// run can be replayed.
type Faults struct {
	Seed int64
	// Transient is the rate of calls that fail with a transient error. Half
	// of them fail after the request was accepted (the answer was lost), so
	// idempotent retries are exercised.
	Transient float64
	// Duplicate, Reorder and Lose are rates of callbacks delivered twice,
	// held back behind later ones, or never delivered.
	Duplicate float64
	Reorder   float64
	Lose      float64
}

// Carrier is the simulator. Safe for concurrent use.
type Carrier struct {
	cfg Config

	mu        sync.Mutex
	rng       *rand.Rand
	rate      *ratelimit.Bucket
	brands    map[string]*registration // by ref
	campaigns map[string]*registration
	numbers   map[string]*number
	keys      map[string]string       // idempotency key -> ref (submissions) or "" (operations)
	sends     map[string]*SentMessage // SendMessage's idempotency key -> its message
	messages  map[string]*SentMessage // by ref
	sent      []*SentMessage          // in acceptance order
	due       completions             // operations, reviews and deliveries to complete, by time
	outbox    []outboxEvent
	seq       int
	journal   *os.File
	offset    int64 // how much of the journal is applied
	replaying bool
}

type registration struct {
	Ref        string
	Kind       string // "brand" or "campaign"
	Country    string
	BrandRef   string
	Status     smsadmin.RegistrationStatus
	Raw        string
	Errors     []smsadmin.FieldError
	rejectWith *smsadmin.FieldError // the review's outcome, decided at submission
	// A brand's identity (R23): what it awaits of its contact (a sole
	// proprietor's PIN, a public company's email confirmation), whether
	// its review is done, and the identity status it was given.
	Awaiting string
	reviewed bool
	Identity string
	// A brand's names, which a reviewer looks for in its campaigns'
	// messages.
	Name, Website string
}

type number struct {
	Number      string
	Provisioned bool
	CampaignRef string
	Op          smsadmin.NumberOp
	OpKey       string
	OpTarget    string // the campaign of an assign
	Failed      *smsadmin.OpFailure
}

// New returns a simulator, replaying its journal when there is one.
func New(cfg Config) (*Carrier, error) {
	if cfg.Clock == nil {
		cfg.Clock = smsadmin.SystemClock{}
	}
	if on := cfg.OnEvent; cfg.OnEvents == nil && on != nil {
		cfg.OnEvents = func(evs []smsadmin.CarrierEvent) {
			for _, ev := range evs {
				on(ev)
			}
		}
	}
	c := &Carrier{
		cfg:       cfg,
		rng:       rand.New(rand.NewPCG(uint64(cfg.Faults.Seed), 0x5eed)),
		rate:      ratelimit.New(cfg.Rate, int(math.Ceil(cfg.Rate))),
		brands:    map[string]*registration{},
		campaigns: map[string]*registration{},
		numbers:   map[string]*number{},
		keys:      map[string]string{},
		sends:     map[string]*SentMessage{},
		messages:  map[string]*SentMessage{},
	}
	if cfg.Journal != "" {
		if err := c.replay(cfg.Journal); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(cfg.Journal, os.O_CREATE|os.O_APPEND|os.O_RDWR, 0o600)
		if err != nil {
			return nil, fmt.Errorf("carrier simulator journal: %w", err)
		}
		c.journal = f
	}
	return c, nil
}

// Close closes the journal.
func (c *Carrier) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.journal == nil {
		return nil
	}
	err := c.journal.Close()
	c.journal = nil
	return err
}

// request is one journal line: a request the simulator accepted.
type request struct {
	At       time.Time                   `json:"at"`
	Call     string                      `json:"call"`
	Key      string                      `json:"key,omitempty"`
	Ref      string                      `json:"ref,omitempty"`
	Number   string                      `json:"number,omitempty"`
	Country  string                      `json:"country,omitempty"`
	BrandRef string                      `json:"brand_ref,omitempty"`
	Reject   *smsadmin.FieldError        `json:"reject,omitempty"`
	Entity   smsadmin.EntityType         `json:"entity,omitempty"`
	Name     string                      `json:"name,omitempty"`    // a brand's legal name
	Website  string                      `json:"website,omitempty"` // a brand's website
	Status   smsadmin.RegistrationStatus `json:"status,omitempty"`
	From     string                      `json:"from,omitempty"`
	To       string                      `json:"to,omitempty"`
	Body     string                      `json:"body,omitempty"`
}

func (c *Carrier) replay(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("carrier simulator journal: %w", err)
	}
	defer f.Close()
	c.replaying = true
	defer func() { c.replaying = false }()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		var r request
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			break // a line cut short by a crash: everything before it stands
		}
		c.settle(r.At)
		c.apply(r)
		c.offset += int64(len(sc.Bytes())) + 1
	}
	return nil
}

// lock locks the simulator for one call. With a journal, it also locks
// the file against the simulators of other processes and applies the
// requests they appended since this one last looked.
func (c *Carrier) lock() {
	c.mu.Lock()
	if c.journal == nil {
		return
	}
	lockFile(c.journal)
	info, err := c.journal.Stat()
	if err != nil || info.Size() <= c.offset {
		return
	}
	buf := make([]byte, info.Size()-c.offset)
	n, _ := c.journal.ReadAt(buf, c.offset)
	c.replaying = true // the process that was asked sends the callbacks
	defer func() { c.replaying = false }()
	for _, line := range bytes.SplitAfter(buf[:n], []byte("\n")) {
		var r request
		if len(line) == 0 || line[len(line)-1] != '\n' || json.Unmarshal(line, &r) != nil {
			return // being written, or cut short by a crash
		}
		c.settle(r.At)
		c.apply(r)
		c.offset += int64(len(line))
	}
}

// unlock undoes lock.
func (c *Carrier) unlock() {
	if c.journal != nil {
		unlockFile(c.journal)
	}
	c.mu.Unlock()
}

// record applies an accepted request and appends it to the journal.
func (c *Carrier) record(r request) {
	c.apply(r)
	if c.journal != nil && !c.replaying {
		b, _ := json.Marshal(r)
		// No fsync: the journal must survive smsadmin being killed, which
		// the page cache already guarantees; this is a simulator.
		n, _ := c.journal.Write(append(b, '\n'))
		c.offset += int64(n)
	}
}

// apply changes the state for an accepted request.
func (c *Carrier) apply(r request) {
	c.seq++
	switch r.Call {
	case "submit_brand", "submit_campaign":
		reg := &registration{Ref: r.Ref, Country: r.Country, BrandRef: r.BrandRef, Status: smsadmin.StatusPending, Raw: "IN_REVIEW", rejectWith: r.Reject}
		if r.Call == "submit_brand" {
			reg.Kind = "brand"
			reg.Name, reg.Website = r.Name, r.Website
			c.brands[r.Ref] = reg
			switch r.Entity {
			case smsadmin.EntitySoleProprietor:
				reg.Awaiting = smsadmin.AwaitingPhonePIN
			case smsadmin.EntityPublicProfit:
				reg.Awaiting = smsadmin.AwaitingEmailConfirmation
			}
		} else {
			reg.Kind = "campaign"
			c.campaigns[r.Ref] = reg
		}
		c.keys[r.Key] = r.Ref
		c.schedule(r.At.Add(c.cfg.ReviewDelay), completion{kind: reg.Kind, ref: r.Ref, op: "review"})
	case "verify_brand", "confirm_brand":
		reg := c.brands[r.Ref]
		reg.Awaiting = ""
		if reg.reviewed {
			c.verdict(reg, r.At)
		}
	case "deactivate_campaign":
		c.keys[r.Key] = r.Ref
		c.schedule(r.At.Add(c.cfg.Delay), completion{kind: "campaign", ref: r.Ref, op: "deactivate"})
	case "set_brand_status", "set_campaign_status":
		kind := strings.TrimSuffix(strings.TrimPrefix(r.Call, "set_"), "_status")
		reg := c.registrations(kind)[r.Ref]
		reg.Status, reg.Raw, reg.Errors = r.Status, rawStatus(r.Status), nil
		if r.Status == smsadmin.StatusSuspended {
			reg.Errors = []smsadmin.FieldError{SuspensionReason}
		}
		c.emit(r.At, smsadmin.CarrierEvent{Kind: kind, Ref: r.Ref})
	case "enable", "disable", "assign", "unassign":
		n := c.number(r.Number)
		n.Op, n.OpKey, n.OpTarget, n.Failed = smsadmin.NumberOp(r.Call), r.Key, r.Ref, nil
		c.keys[r.Key] = ""
		c.schedule(r.At.Add(c.cfg.Delay), completion{kind: "number", ref: r.Number, op: r.Call, key: r.Key})
	case "drop_number":
		n := c.numbers[r.Number]
		n.CampaignRef = ""
		c.emit(r.At, smsadmin.CarrierEvent{Kind: "number", Ref: r.Number,
			Number: &smsadmin.NumberReport{At: r.At, Seq: int64(c.seq), Observed: n.observe()}})
	case "send_message":
		c.accept(r)
	}
}

// registrations returns the brands or the campaigns, by kind.
func (c *Carrier) registrations(kind string) map[string]*registration {
	if kind == "brand" {
		return c.brands
	}
	return c.campaigns
}

func (c *Carrier) number(num string) *number {
	n := c.numbers[num]
	if n == nil {
		n = &number{Number: num}
		c.numbers[num] = n
	}
	return n
}

// completion is something that finishes at a time.
type completion struct {
	at   time.Time
	seq  int
	kind string
	ref  string
	op   string
	key  string
}

type completions []completion

func (h completions) Len() int { return len(h) }
func (h completions) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h completions) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *completions) Push(x any)   { *h = append(*h, x.(completion)) }
func (h *completions) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (c *Carrier) schedule(at time.Time, comp completion) {
	comp.at, comp.seq = at, c.seq
	heap.Push(&c.due, comp)
}

// settle completes everything due by now, in time order.
func (c *Carrier) settle(now time.Time) {
	for c.due.Len() > 0 && !c.due[0].at.After(now) {
		comp := heap.Pop(&c.due).(completion)
		c.complete(comp)
	}
}

// complete finishes one review, operation or delivery.
func (c *Carrier) complete(comp completion) {
	switch comp.kind {
	case "brand", "campaign":
		reg := c.registrations(comp.kind)[comp.ref]
		if comp.op == "deactivate" {
			reg.Status, reg.Raw = smsadmin.StatusDeactivated, "DEACTIVATED"
			for _, n := range c.numbers {
				if n.CampaignRef == comp.ref {
					n.CampaignRef = ""
				}
			}
		} else if reg.Status == smsadmin.StatusPending {
			reg.reviewed = true
			if reg.Awaiting != "" && reg.rejectWith == nil {
				return // verified once the contact answers (verify_brand, confirm_brand)
			}
			c.verdict(reg, comp.at)
			return
		}
		c.emit(comp.at, smsadmin.CarrierEvent{Kind: comp.kind, Ref: comp.ref})
	case "number":
		n := c.numbers[comp.ref]
		if n.OpKey != comp.key {
			return // superseded by a later operation
		}
		op := n.Op
		n.Op, n.OpKey = "", ""
		if reason := failure(op, n.Number); reason != "" {
			n.Failed = &smsadmin.OpFailure{Op: op, Key: comp.key, Reason: reason}
		} else {
			switch op {
			case smsadmin.OpEnable:
				n.Provisioned = true
			case smsadmin.OpDisable:
				n.Provisioned, n.CampaignRef = false, ""
			case smsadmin.OpAssign:
				if camp := c.campaigns[n.OpTarget]; camp == nil || camp.Status != smsadmin.StatusVerified {
					n.Failed = &smsadmin.OpFailure{Op: op, Key: comp.key, Reason: "the campaign is not verified"}
				} else {
					n.CampaignRef = n.OpTarget
				}
			case smsadmin.OpUnassign:
				n.CampaignRef = ""
			}
		}
		c.emit(comp.at, smsadmin.CarrierEvent{Kind: "number", Ref: n.Number,
			Number: &smsadmin.NumberReport{At: comp.at, Seq: int64(comp.seq), Op: op, Key: comp.key, Observed: n.observe()}})
	case "message":
		c.deliver(comp)
	}
}

// verdict ends a registration's review: rejected with the error decided
// at submission, or verified; and says so by callback.
func (c *Carrier) verdict(reg *registration, at time.Time) {
	if reg.rejectWith != nil {
		reg.Status, reg.Raw, reg.Errors = smsadmin.StatusRejected, "REJECTED", []smsadmin.FieldError{*reg.rejectWith}
		reg.Identity, reg.Awaiting = "unverified", ""
	} else {
		reg.Status, reg.Raw = smsadmin.StatusVerified, "VERIFIED"
		reg.Identity = "verified"
	}
	c.emit(at, smsadmin.CarrierEvent{Kind: reg.Kind, Ref: reg.Ref})
}

// failure is the simulated refusal of op on num, or "".
func failure(op smsadmin.NumberOp, num string) string {
	switch {
	case op == smsadmin.OpEnable && strings.HasSuffix(num, "0999"):
		return "Carrier refused provisioning: the number is not eligible for A2P messaging (simulated: ends in 0999)."
	case op == smsadmin.OpAssign && strings.HasSuffix(num, "0998"):
		return "Carrier refused the campaign assignment: the number is registered to another messaging provider (simulated: ends in 0998)."
	case (op == smsadmin.OpDisable || op == smsadmin.OpUnassign) && strings.HasSuffix(num, "0997"):
		return "Carrier refused the removal: the number is locked by a pending port request (simulated: ends in 0997)."
	}
	return ""
}

func rawStatus(s smsadmin.RegistrationStatus) string { return strings.ToUpper(string(s)) }
