package writer

import (
	"context"
	"testing"

	"github.com/jomei/notionapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/visen/visen/internal/convert/md2notion"
)

func TestHeading4(t *testing.T) {
	const md = "#### Four\n\n- item\n\n  #### Nested four\n\n##### Five\n\nText after.\n"
	tests := []struct {
		name     string
		refuse   bool
		want     []string
		wantSent int
	}{
		{
			name: "written as heading_4 where Notion has it",
			want: []string{"heading_4\x00Four", "bulleted_list_item\x00item", "  heading_4\x00Nested four", "heading_4\x00Five", "paragraph\x00Text after."},
			// A look at the page, then one request: the list item carries
			// its heading inline.
			wantSent: 2,
		},
		{
			name:   "a workspace refusing heading_4 gets heading_3, every word kept",
			refuse: true,
			want:   []string{"heading_3\x00Four", "bulleted_list_item\x00item", "  heading_3\x00Nested four", "heading_3\x00Five", "paragraph\x00Text after."},
			// A look at the page, the refused request, then the same one
			// with heading_3.
			wantSent: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake()
			if tt.refuse {
				fake.Refuse("heading_4")
			}
			plan, err := NewPlan(md2notion.Convert([]byte(md)))
			require.NoError(t, err)
			var state State
			require.NoError(t, newWriter(fake, nil).Write(context.Background(), plan, Place{ParentID: pageID}, &state))
			assert.Equal(t, tt.want, shape(fake.Children(pageID)))
			assert.Equal(t, tt.wantSent, state.Sent)
			assert.Empty(t, state.Warnings, "no error or warning is shown")
			assert.Equal(t, tt.refuse, state.NoHeading4)
		})
	}
}

func TestNoHeading4HoldsForTheRestOfTheJob(t *testing.T) {
	fake := newFake()
	fake.Refuse("heading_4")
	w := newWriter(fake, nil)
	state := State{NoHeading4: true}
	plan, err := NewPlan(md2notion.Convert([]byte("#### Later\n")))
	require.NoError(t, err)
	require.NoError(t, w.Write(context.Background(), plan, Place{ParentID: pageID}, &state))
	assert.Equal(t, []string{"heading_3\x00Later"}, shape(fake.Children(pageID)))
	assert.Equal(t, 2, state.Sent, "a look at the page and one request: none is refused again")
}

// TestAResumeFindsWhatWasSentInsteadOfWhatWasPlanned: the blocks went in
// a form other than planned (heading_3 for a refused heading_4, a plain
// paragraph for a refused block), and the state was saved before Notion's
// answer came. Resuming finds them as sent and writes nothing twice.
func TestAResumeFindsWhatWasSentInsteadOfWhatWasPlanned(t *testing.T) {
	bad, healed := refusedCode("qapla'")
	tests := []struct {
		name   string
		blocks []notionapi.Block
		want   []string
	}{
		{name: "a heading_4 the workspace refused", blocks: md2notion.Convert([]byte("#### Four\n\nText.\n")),
			want: []string{"heading_3\x00Four", "paragraph\x00Text."}},
		{name: "a nested heading_4 the workspace refused", blocks: md2notion.Convert([]byte("- item\n\n  #### Four\n\nText.\n")),
			want: []string{"bulleted_list_item\x00item", "  heading_3\x00Four", "paragraph\x00Text."}},
		{name: "a block healed into text", blocks: append(append(md2notion.Convert([]byte("Intro.\n")), bad), md2notion.Convert([]byte("After.\n"))...),
			want: []string{"paragraph\x00Intro.", healed, "paragraph\x00After."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake()
			fake.Refuse("heading_4")
			plan, err := NewPlan(tt.blocks)
			require.NoError(t, err)
			target := Place{ParentID: pageID, Anchored: true}
			var state State
			require.NoError(t, newWriter(fake, nil).Write(context.Background(), plan, target, &state))
			require.Equal(t, tt.want, shape(fake.Children(pageID)))

			var saved State
			require.NoError(t, newWriter(fake, nil, Resuming()).Write(context.Background(), plan, target, &saved))
			assert.Equal(t, tt.want, shape(fake.Children(pageID)), "nothing written twice")
			assert.Equal(t, state.IDs, saved.IDs, "the blocks found are the ones written")
		})
	}
}
