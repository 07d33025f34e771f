// Package apperr defines the coded errors that feature services return. The
// HTTP layer is the one place that turns a code into a status; services stay
// free of transport concerns.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error by what the caller can do about it.
type Code string

// The codes Debrief uses. Anything without a code is an internal error.
const (
	Invalid         Code = "invalid"
	NotFound        Code = "not_found"
	Conflict        Code = "conflict"
	Forbidden       Code = "forbidden"
	Unauthenticated Code = "unauthenticated"
	Unavailable     Code = "unavailable"
	TooManyRequests Code = "too_many_requests"
	Internal        Code = "internal"
)

// FieldError names one input field and what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an error with a code, a message meant for people and optional
// per-field details.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	// RetryAfter, in seconds, is set for TooManyRequests.
	RetryAfter int
	cause      error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return e.Message + ": " + e.cause.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.cause }

// New returns an error with the given code and message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap keeps cause for logs while exposing only message to callers.
func Wrap(code Code, cause error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), cause: cause}
}

// Invalidf is shorthand for an Invalid error with no field details.
func Invalidf(format string, args ...any) *Error { return New(Invalid, format, args...) }

// NotFoundf is shorthand for a NotFound error.
func NotFoundf(format string, args ...any) *Error { return New(NotFound, format, args...) }

// Conflictf is shorthand for a Conflict error.
func Conflictf(format string, args ...any) *Error { return New(Conflict, format, args...) }

// Forbiddenf is shorthand for a Forbidden error.
func Forbiddenf(format string, args ...any) *Error { return New(Forbidden, format, args...) }

// Fields collects field errors while validating input; Err returns nil when
// nothing was added so callers can write `return v.Err()`.
type Fields struct {
	list []FieldError
}

// Add records a problem with field.
func (f *Fields) Add(field, format string, args ...any) {
	f.list = append(f.list, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Len reports how many field errors were recorded.
func (f *Fields) Len() int { return len(f.list) }

// Err returns an Invalid error carrying the recorded field errors, or nil.
func (f *Fields) Err() error {
	if len(f.list) == 0 {
		return nil
	}
	msg := "the request has invalid fields"
	if len(f.list) == 1 {
		msg = f.list[0].Field + ": " + f.list[0].Message
	}
	return &Error{Code: Invalid, Message: msg, Fields: f.list}
}

// CodeOf returns the code of err, or Internal when err carries none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
