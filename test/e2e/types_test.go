//go:build e2e

package e2e

import (
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
)

// The composed kinds the tests decode, with the same Go types the function
// builds them from.
type (
	serviceMonitor = monitoringv1.ServiceMonitor
	prometheusRule = monitoringv1.PrometheusRule
)
