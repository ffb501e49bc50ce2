// Package models holds the registry's domain: its types, their validation, the
// one error type every layer speaks, and the rules the store applies inside its
// transactions: who may write what and who sets provenance (access.go,
// contact.go), what adoption statuses mean and how they move and merge
// (adoption_rules.go), what a component's lifecycle means (component_rules.go),
// when a reorganisation may vest (reorganisation_rules.go), evidence strength
// and freshness (evidence.go). It knows nothing of HTTP, SQL, YAML or CSV.
package models

import (
	"errors"
	"fmt"
)

// Error codes. api/handlers is the only place that turns one into an HTTP status.
const (
	EINVALID       = "invalid"       // malformed input: 400
	EUNPROCESSABLE = "unprocessable" // well-formed input naming things that do not exist: 422
	ENOTFOUND      = "not_found"     // 404
	ECONFLICT      = "conflict"      // duplicate key or state clash: 409
	EPRECONDITION  = "precondition"  // If-Match did not match: 412
	EUNAUTHORIZED  = "unauthorized"  // no usable key: 401
	EFORBIDDEN     = "forbidden"     // a key that may not do this: 403
	ETOOLARGE      = "too_large"     // request body over the limit: 413
	EINTERNAL      = "internal"      // anything unexpected: 500, details logged not shown
)

// FieldError names one bad input field and what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the registry's error. Message is safe to show to callers.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("%s: %s (%d field errors)", e.Code, e.Message, len(e.Fields))
}

// Errorf builds an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an *Error in err's chain, or EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// NotFound is the error for a missing resource, named by kind and key.
func NotFound(kind, key string) *Error {
	return Errorf(ENOTFOUND, "%s %q does not exist", kind, key)
}

// Problems collects field errors so a caller sees every bad field at once.
type Problems struct {
	fields []FieldError
}

// Add records a problem with field.
func (p *Problems) Add(field, format string, args ...any) {
	p.fields = append(p.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when nothing was added, else an EINVALID error listing every field.
func (p *Problems) Err() error {
	return p.ErrWithCode(EINVALID, "the request has invalid fields")
}

// ErrWithCode is Err with a chosen code and message.
func (p *Problems) ErrWithCode(code, msg string) error {
	if len(p.fields) == 0 {
		return nil
	}
	return &Error{Code: code, Message: msg, Fields: p.fields}
}
