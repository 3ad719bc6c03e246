package notion

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/failure"
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

// Code is the stable name the popup receives for the failure: the kind's
// code, except that a page a person's token cannot open is "no_access",
// which no connect step can fix.
func (e *Error) Code() string {
	if e.Kind == KindNotConnected && e.Token == TokenPersonal {
		return "no_access"
	}
	return e.Kind.Code()
}

// Error is a failed Notion call. Its Error text is for logs and never holds
// the secret; Message is the sentence shown to a person.
type Error struct {
	Kind Kind
	// Op names what was being done, such as "retrieve page".
	Op string
	// Status and NotionCode are Notion's answer, when there was one.
	Status     int
	NotionCode string
	// Token is the kind of token the request was sent with, when known:
	// a person's token has no connect steps and speaks of access instead.
	Token TokenKind
	// Integration is the integration's name, used in the connect steps.
	Integration string
	// Object says "page" or "database" for the not-connected message.
	Object string
	// RetryAfter and RateLimitReason are what Notion said when it limited
	// the rate: the wait it asked for, and which limit was hit.
	RetryAfter      time.Duration
	RateLimitReason string
	Err             error
}

func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("notion: %s: %d %s", e.Op, e.Status, e.NotionCode)
	}
	return fmt.Sprintf("notion: %s: %v", e.Op, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Message is the sentence a person reads, with what to do next.
func (e *Error) Message() string {
	switch e.Kind {
	case KindUnauthorized:
		return "Notion did not accept this token. It may be mistyped, revoked or expired: copy a new one from Notion."
	case KindRestricted:
		if e.Token == TokenPersonal {
			return "Your token may not read this content. Make a new one at notion.so/developers/tokens with the Notion API capability."
		}
		return "The integration is not allowed to read this content. In Notion’s integrations page, give it the “Read content” capability."
	case KindNoInsert:
		if e.Token == TokenPersonal {
			return fmt.Sprintf("You can view this %s in Notion but not edit it, so Visen can’t write here.", e.objectName())
		}
		return "The integration may read but not write. In Notion’s integrations page, give it the “Insert content” capability."
	case KindNotConnected:
		if e.Token == TokenPersonal {
			return fmt.Sprintf("Your Notion account can’t open this %s, so Visen can’t either. Ask its owner to share it with you.", e.objectName())
		}
		return fmt.Sprintf("This %s isn’t connected to %s yet.", e.objectName(), e.integrationName())
	case KindArchived:
		return fmt.Sprintf("This %s is in Notion’s trash. Restore it, or open another one.", e.objectName())
	case KindRateLimited:
		if e.RetryAfter > 0 {
			return fmt.Sprintf("Notion is limiting how fast Visen may send%s and asked it to wait %s, longer than Visen waits on its own. Try again after that.", e.reason(), waitWords(e.RetryAfter))
		}
		return fmt.Sprintf("Notion is limiting how fast Visen may send%s and did not free up in time. Wait a minute, then try again.", e.reason())
	case KindUnavailable:
		if e.Status == StatusOverloaded && e.RetryAfter > 0 {
			return fmt.Sprintf("Notion is overloaded and asked Visen to wait %s. Try again after that.", waitWords(e.RetryAfter))
		}
		if e.Status == StatusOverloaded {
			return "Notion is overloaded right now. Try again in a few minutes."
		}
		return "Notion is not answering right now. Try again in a few minutes."
	case KindNetwork:
		return "Could not reach Notion. Check your internet connection, then try again."
	case KindBlockLimit:
		return "This Notion workspace has reached the block limit of the Free plan, so Notion refuses new content. Upgrade the workspace’s plan in Notion (on the Free plan, deleting content does not give blocks back, but a workspace with a single member has no limit), then try again."
	case KindValidation:
		if !e.writes() {
			// Only a write has content that Notion could refuse.
			return "Notion refused Visen’s request as invalid, and nothing was written. Click Visen again to reload the page or database, then try again."
		}
		return "Notion refused part of the content as invalid. Nothing after it was written; copy the Markdown to keep it, and try again."
	}
	return "Something went wrong while talking to Notion. Try again."
}

// writes reports an operation that sends content to Notion.
func (e *Error) writes() bool {
	switch e.Op {
	case opAppend, "create page", "update page":
		return true
	}
	return false
}

// reason names the limit Notion says was hit, as words in brackets, or
// nothing when Notion named none.
func (e *Error) reason() string {
	if e.RateLimitReason == "" {
		return ""
	}
	return " (" + strings.ReplaceAll(e.RateLimitReason, "_", " ") + ")"
}

// waitWords says a wait the way a person would: seconds under two
// minutes, then whole minutes, rounded up so the advice is never too early.
func waitWords(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	switch {
	case secs == 1:
		return "1 second"
	case secs < 120:
		return fmt.Sprintf("%d seconds", secs)
	}
	return fmt.Sprintf("%d minutes", (secs+59)/60)
}

// ConnectSteps are the clicks that connect a page or database to the
// integration, with its real name; none for a person's token, which needs
// no connection.
func (e *Error) ConnectSteps() []string {
	if e.Kind != KindNotConnected || e.Token == TokenPersonal {
		return nil
	}
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
// for the operation op, leaving cancellation as it is. An error that holds
// an *Error already is classified: it is returned as it is, never wrapped
// in a second.
func Classify(op string, err error) error {
	var e *Error
	if err == nil || errors.As(err, &e) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	e = &Error{Op: op, Err: err}
	var api *notionapi.Error
	var limited *notionapi.RateLimitedError
	var waited *LimitedError
	switch {
	case errors.As(err, &waited):
		e.Status, e.RetryAfter, e.RateLimitReason = waited.Status, waited.RetryAfter, waited.Reason
		e.NotionCode, e.Kind = "rate_limited", KindRateLimited
		if waited.Status == StatusOverloaded {
			e.NotionCode, e.Kind = "service_overload", KindUnavailable
		}
	case errors.As(err, &api):
		e.Status, e.NotionCode = api.Status, string(api.Code)
		e.Kind = kindOf(api)
	case errors.As(err, &limited):
		e.Status, e.NotionCode, e.Kind = 429, "rate_limited", KindRateLimited
	case failure.Unreached(err):
		e.Kind = KindNetwork
	case isGarbled(err):
		// Notion's own errors are JSON; anything else came from a proxy or
		// load balancer in front of an unwell Notion.
		e.Kind = KindUnavailable
	}
	if op == opAppend {
		e.writing()
	}
	return e
}

// opAppend names an append of blocks in errors.
const opAppend = "append blocks"

// Writing makes err, a failure while writing blocks, the append's failure:
// a read the writer makes to place or confirm blocks fails the write it
// serves, and the message says what became of the content. err is returned.
func Writing(err error) error {
	var e *Error
	if errors.As(err, &e) {
		e.writing()
	}
	return err
}

// writing makes e an append's failure. Notion refuses an append with 403
// when the integration may read but not insert.
func (e *Error) writing() {
	e.Op = opAppend
	if e.Kind == KindRestricted {
		e.Kind = KindNoInsert
	}
}

func kindOf(api *notionapi.Error) Kind {
	switch {
	case strings.Contains(strings.ToLower(api.Message), "block limit"):
		// Notion names the workspace limit in the message; its status
		// and code are those of any refused write.
		return KindBlockLimit
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
