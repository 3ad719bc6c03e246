package notion

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/jomei/notionapi"
)

// Kind sorts Notion failures by what a person has to do about them.
type Kind int

// The kinds of failure, each with its own message.
const (
	KindUnknown Kind = iota
	KindUnauthorized
	KindRestricted
	KindNoInsert
	KindNotConnected
	KindArchived
	KindRateLimited
	KindUnavailable
	KindNetwork
	KindBlockLimit
	KindValidation
)

var kindCodes = map[Kind]string{
	KindUnknown:      "internal",
	KindUnauthorized: "unauthorized",
	KindRestricted:   "restricted",
	KindNoInsert:     "no_insert_capability",
	KindNotConnected: "not_connected",
	KindArchived:     "archived",
	KindRateLimited:  "rate_limited",
	KindUnavailable:  "notion_unavailable",
	KindNetwork:      "network",
	KindBlockLimit:   "block_limit",
	KindValidation:   "validation",
}

// Code is the stable name the popup receives for a kind.
func (k Kind) Code() string { return kindCodes[k] }

// Error is a failed Notion call. Its Error text is for logs and never holds
// the secret; Message is the sentence shown to a person.
type Error struct {
	Kind Kind
	// Op names what was being done, such as "retrieve page".
	Op string
	// Status and Code are Notion's answer, when there was one.
	Status int
	Code   string
	// Integration is the integration's name, used in the connect steps.
	Integration string
	// Object says "page" or "database" for the not-connected message.
	Object string
	Err    error
}

func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("notion: %s: %d %s", e.Op, e.Status, e.Code)
	}
	return fmt.Sprintf("notion: %s: %v", e.Op, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Message is the sentence a person reads, with what to do next.
func (e *Error) Message() string {
	switch e.Kind {
	case KindUnauthorized:
		return "Notion did not accept the integration secret. Copy it again from Notion’s integrations page."
	case KindRestricted:
		return "The integration is not allowed to read this content. In Notion’s integrations page, give it the “Read content” capability."
	case KindNoInsert:
		return "The integration may read but not write. In Notion’s integrations page, give it the “Insert content” capability."
	case KindNotConnected:
		return fmt.Sprintf("This %s is not connected to %s yet. Connect it once in Notion, then click Visen again.", e.objectName(), e.integrationName())
	case KindArchived:
		return fmt.Sprintf("This %s is in Notion’s trash. Restore it, or open another one.", e.objectName())
	case KindRateLimited:
		return "Notion is limiting how fast Visen may write and did not free up in time. Wait a minute, then try again."
	case KindUnavailable:
		return "Notion is not answering right now. Try again in a few minutes."
	case KindNetwork:
		return "Could not reach Notion. Check your internet connection, then try again."
	case KindBlockLimit:
		return "This workspace has reached its block limit on Notion’s free plan. Upgrade the workspace or remove content, then try again."
	case KindValidation:
		return "Notion refused part of the content as invalid. Nothing after it was written; copy the Markdown to keep it, and try again."
	}
	return "Something went wrong while talking to Notion. Try again."
}

// ConnectSteps are the clicks that connect a page or database to the
// integration, with its real name.
func (e *Error) ConnectSteps() []string {
	return ConnectSteps(e.integrationName(), e.objectName())
}

// ConnectSteps lists the clicks that connect an object ("page" or
// "database") to the named integration.
func ConnectSteps(integration, object string) []string {
	return []string{
		fmt.Sprintf("Open the %s in Notion.", object),
		"Click ••• at the top right.",
		"Choose Connections.",
		fmt.Sprintf("Search for “%s” and choose it.", integration),
		"Click Confirm.",
	}
}

func (e *Error) objectName() string {
	if e.Object == "" {
		return "page"
	}
	return e.Object
}

func (e *Error) integrationName() string {
	if e.Integration == "" {
		return "your integration"
	}
	return e.Integration
}

// Classify turns an error from notionapi or the transport into an *Error
// for the operation op, leaving cancellation as it is.
func Classify(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	e := &Error{Op: op, Err: err}
	var api *notionapi.Error
	var limited *notionapi.RateLimitedError
	switch {
	case errors.As(err, &api):
		e.Status, e.Code = api.Status, string(api.Code)
		e.Kind = kindOf(api)
	case errors.As(err, &limited):
		e.Status, e.Code, e.Kind = 429, "rate_limited", KindRateLimited
	case isNetwork(err):
		e.Kind = KindNetwork
	case isGarbled(err):
		// Notion's own errors are JSON; anything else came from a proxy or
		// load balancer in front of an unwell Notion.
		e.Kind = KindUnavailable
	}
	return e
}

func kindOf(api *notionapi.Error) Kind {
	switch {
	case api.Status == 401 || api.Code == "unauthorized":
		return KindUnauthorized
	case api.Code == "restricted_resource" && strings.Contains(strings.ToLower(api.Message), "insert"):
		return KindNoInsert
	case api.Status == 403 || api.Code == "restricted_resource":
		return KindRestricted
	case api.Status == 404 || api.Code == "object_not_found":
		return KindNotConnected
	case api.Status == 429 || api.Code == "rate_limited":
		return KindRateLimited
	case api.Status >= 500:
		return KindUnavailable
	case api.Code == "validation_error" && strings.Contains(strings.ToLower(api.Message), "archived"):
		return KindArchived
	case api.Code == "validation_error" && strings.Contains(strings.ToLower(api.Message), "block limit"):
		return KindBlockLimit
	case api.Code == "validation_error":
		return KindValidation
	}
	return KindUnknown
}

func isGarbled(err error) bool {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	return errors.As(err, &syntax) || errors.As(err, &typ)
}

func isNetwork(err error) bool {
	var urlErr *url.Error
	var netErr net.Error
	return errors.As(err, &urlErr) || errors.As(err, &netErr)
}
