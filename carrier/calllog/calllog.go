// Package calllog logs every call of a smsadmin.Carrier: at debug level,
// one line per call when it returns, with what it asked about, when it
// started, how long it took and how it ended. An operator turns it on with
// --log-level debug to see what smsadmin asks of the carrier; the
// multi-instance tests read it to check that no number is worked by two
// instances at once. Message bodies and brand or campaign forms are not
// logged: the lines carry references only.
package calllog

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"smsadmin"
	"smsadmin/carrier/around"
)

// Message is the message of every line.
const Message = "carrier call"

// New returns a Carrier passing every call to next and logging it to log at
// debug level.
func New(next smsadmin.Carrier, log *slog.Logger) smsadmin.Carrier {
	return around.New(next, func(ctx context.Context, call, object string, do func() error) error {
		if !log.Enabled(ctx, slog.LevelDebug) {
			return do()
		}
		start := time.Now()
		err := do()
		attrs := []slog.Attr{slog.String("call", call), slog.String("object", object),
			slog.Time("start", start), slog.Duration("took", time.Since(start))}
		switch {
		case errors.Is(err, smsadmin.ErrCompleted):
			attrs = append(attrs, slog.Bool("completed", true)) // no failure: nothing left in flight
		case err != nil:
			attrs = append(attrs, slog.String("error", err.Error()))
		}
		log.LogAttrs(ctx, slog.LevelDebug, Message, attrs...)
		return err
	})
}
