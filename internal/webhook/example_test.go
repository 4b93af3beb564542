package webhook_test

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"time"

	"smsadmin/internal/webhook"
)

// A receiver verifies each delivery with the secret it was shown when it
// registered the webhook, before acting on the body.
func Example_receiver() {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

	receive := func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		// Verify the exact bytes received: parsing and re-encoding the
		// JSON first would change them and break the signature.
		if err := webhook.Verify(secret, r.Header, body, time.Now()); err != nil {
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		// A delivery may be retried: webhook-id is the key to deduplicate on.
		fmt.Println("verified", r.Header.Get("webhook-id"))
		w.WriteHeader(http.StatusNoContent)
	}

	// What the deliverer sends.
	body := []byte(`{"type":"message.delivered"}`)
	h, err := webhook.Headers([]string{secret}, "msg_2mWq8K", time.Now(), body)
	if err != nil {
		fmt.Println(err)
		return
	}
	req := httptest.NewRequest(http.MethodPost, "https://receiver.example/hooks", bytes.NewReader(body))
	maps.Copy(req.Header, h)

	rec := httptest.NewRecorder()
	receive(rec, req)
	fmt.Println(rec.Code)
	// Output:
	// verified msg_2mWq8K
	// 204
}
