package alert

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestGrafanaContactPointTestIsNoIncident(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	test, err := os.ReadFile(filepath.Join("testdata", "grafana_test_notification.json"))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := Decode(test, Auto, now)
	if err != nil {
		t.Fatal(err)
	}
	if !IsTestNotification(ev) {
		t.Fatalf("Grafana's contact point test is taken for an alert: %+v", ev)
	}
	// A real alert of the same group shape is not.
	real := `{"receiver":"warroom","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"DiskFull","instance":"db-1"},"annotations":{"summary":"Disk full"},"startsAt":"2026-12-06T11:59:00Z","fingerprint":"a1"}],"groupLabels":{"alertname":"DiskFull"},"commonLabels":{},"commonAnnotations":{},"version":"1","groupKey":"{}:{alertname=\"DiskFull\"}"}`
	ev, err = Decode([]byte(real), Auto, now)
	if err != nil {
		t.Fatal(err)
	}
	if IsTestNotification(ev) {
		t.Fatal("a real alert is taken for a test")
	}
}
