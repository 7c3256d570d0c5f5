package alert

// Grafana's "Test" button on a contact point sends one firing alert named
// TestAlert from the instance "Grafana" (its default test alert). It
// says the contact point reaches warroom; it is not an incident, and a
// team setting the receiver up at its desk should not find a SEV3 to
// resolve. Such a payload is answered and recorded nowhere.
const (
	grafanaTestName     = "TestAlert"
	grafanaTestInstance = "Grafana"
)

// IsTestNotification reports whether ev is Grafana's contact point test:
// every alert in it is the default test alert.
func IsTestNotification(ev Event) bool {
	if (ev.Source != Grafana && ev.Source != Alertmanager) || len(ev.Alerts) == 0 {
		return false
	}
	for _, a := range ev.Alerts {
		if a.Labels["alertname"] != grafanaTestName || a.Labels["instance"] != grafanaTestInstance {
			return false
		}
	}
	return true
}

// TestNotificationNote is what warroom answers a test notification.
const TestNotificationNote = "a Grafana contact point test: it reached warroom, and nothing was recorded"
