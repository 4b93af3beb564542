package sim

import (
	"context"
	"sort"
	"time"

	"smsadmin"
)

// outboxEvent is a callback waiting to be delivered at a time.
type outboxEvent struct {
	at       time.Time
	ev       smsadmin.CarrierEvent
	reorderd bool
}

// emit queues a callback. Replayed history sends none: what happened while
// smsadmin was down is found by polling, as with a real carrier.
func (c *Carrier) emit(at time.Time, ev smsadmin.CarrierEvent) {
	if c.replaying || c.cfg.OnEvents == nil {
		return
	}
	c.outbox = append(c.outbox, outboxEvent{at: at, ev: ev})
}

// Deliver completes what is due and sends the callbacks due by now, with
// the configured faults: some are lost, some sent twice, some held back
// and sent after later ones. It returns how many it sent.
func (c *Carrier) Deliver() int {
	c.mu.Lock()
	now := c.cfg.Clock.Now()
	c.settle(now)
	sort.SliceStable(c.outbox, func(i, j int) bool { return c.outbox[i].at.Before(c.outbox[j].at) })
	var send []smsadmin.CarrierEvent
	keep := c.outbox[:0]
	f := c.cfg.Faults
	for _, o := range c.outbox {
		switch {
		case o.at.After(now):
			keep = append(keep, o)
		case f.Lose > 0 && c.rng.Float64() < f.Lose:
		case !o.reorderd && f.Reorder > 0 && c.rng.Float64() < f.Reorder:
			o.reorderd = true
			o.at = now.Add(c.cfg.Delay + time.Duration(c.rng.IntN(1000))*time.Millisecond)
			keep = append(keep, o)
		default:
			send = append(send, o.ev)
			if f.Duplicate > 0 && c.rng.Float64() < f.Duplicate {
				send = append(send, o.ev)
			}
		}
	}
	c.outbox = keep
	c.mu.Unlock()
	if len(send) > 0 {
		c.cfg.OnEvents(send)
	}
	return len(send)
}

// Run delivers callbacks until ctx ends, looking every tick.
func (c *Carrier) Run(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.Deliver()
		}
	}
}

// SetFaults changes the injected faults (the random source is kept).
func (c *Carrier) SetFaults(f Faults) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cfg.Faults = f
}
