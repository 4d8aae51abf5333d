package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/agentops-io/agentops/runtime/chat"
	"github.com/agentops-io/agentops/runtime/provider"
)

// OpenAI's error types, which clients switch on.
const (
	errInvalidRequest = "invalid_request_error"
	errRateLimit      = "rate_limit_exceeded"
	errServer         = "server_error"
	errUnavailable    = "service_unavailable"
	errTimeout        = "timeout"
)

// writeError answers with OpenAI's error body.
func writeError(w http.ResponseWriter, status int, typ, msg string) {
	writeJSON(w, status, chat.ErrorBody{Error: chat.ErrorDetail{Message: msg, Type: typ}})
}

// writeJSON answers with v. The types written always encode; a write that
// fails means the client is gone, and there is no one left to tell.
func writeJSON[T chat.Response | chat.ErrorBody](w http.ResponseWriter, status int, v T) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "cannot encode the response", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// A failure is how a failed provider call is answered.
type failure struct {
	status int
	typ    string
	msg    string
}

// failureOf maps a provider error to the runtime's answer. The provider's
// status and error type are kept; its body, which may quote the prompt, is
// not.
func failureOf(err error) failure {
	var pe *provider.Error
	switch {
	case errors.Is(err, provider.ErrNoKey):
		return failure{http.StatusServiceUnavailable, errUnavailable, "the agent has no API key yet"}
	case errors.Is(err, context.DeadlineExceeded):
		return failure{http.StatusGatewayTimeout, errTimeout, "the model did not answer in time"}
	case errors.As(err, &pe) && pe.Status != 0:
		msg := "the model's provider answered " + strconv.Itoa(pe.Status)
		if pe.Type != "" {
			msg += " (" + pe.Type + ")"
		}
		switch pe.Status {
		case http.StatusBadRequest, http.StatusNotFound, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
			// The request itself was refused (too long a prompt, say).
			return failure{pe.Status, errInvalidRequest, msg}
		case http.StatusTooManyRequests:
			return failure{pe.Status, errRateLimit, msg + ", still after retries"}
		}
		return failure{http.StatusBadGateway, errServer, msg}
	}
	return failure{http.StatusBadGateway, errServer, "the model's provider could not be reached"}
}
