package smsadmin_test

import "smsadmin/smsadmintest"

// testTime is the start of every test clock.
var testTime = smsadmintest.Start
