package smsadmin_test

import (
	"encoding/json"
	"testing"

	"smsadmin"
)

func TestPhoneNumberJSONUserID(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ user, want string }{{"", `null`}, {"usr_1", `"usr_1"`}} {
		b, err := json.Marshal(smsadmin.PhoneNumber{Number: "+14155550123", UserID: tt.user})
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		_ = json.Unmarshal(b, &m)
		if string(m["user_id"]) != tt.want || string(m["number"]) != `"+14155550123"` {
			t.Errorf("JSON = %s, want user_id %s", b, tt.want)
		}
	}
}
