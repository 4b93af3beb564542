package smsadmin_test

import "time"

// testTime is the start of every test clock.
var testTime = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
