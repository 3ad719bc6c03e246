package failure

import (
	"errors"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestUnreached(t *testing.T) {
	cut := &url.Error{Op: "Post", URL: "https://example.com", Err: errors.New("connection reset")}
	assert.True(t, Unreached(cut))
	assert.True(t, Unreached(fmt.Errorf("sending: %w", cut)), "found when wrapped")
	assert.False(t, Unreached(errors.New("an answer that made no sense")))
}
