package notion

import (
	"github.com/jomei/notionapi"
)

// Database property values and schemas are decoded here rather than with
// notionapi's Properties, which fails a whole page on a property type it
// does not know, reads an empty number as 0 and a date as midnight UTC.

// Schema is one property of a database, as the popup lists it.
type Schema struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Type is Notion's property type: title, rich_text, number, select,
	// multi_select, status, date, checkbox, url, email, phone_number,
	// people, relation, formula, rollup, files, created_time, ….
	Type string `json:"type"`
	// Options are the choices of a select, multi-select or status.
	Options []string `json:"options,omitempty"`
}

// Value is one property value of a page, as Notion sends it. Only the field
// named by Type is set; a nil pointer is Notion's null.
type Value struct {
	ID             string               `json:"id,omitempty"`
	Type           string               `json:"type"`
	Title          []notionapi.RichText `json:"title,omitempty"`
	RichText       []notionapi.RichText `json:"rich_text,omitempty"`
	Number         *float64             `json:"number,omitempty"`
	Select         *Option              `json:"select,omitempty"`
	MultiSelect    []Option             `json:"multi_select,omitempty"`
	Status         *Option              `json:"status,omitempty"`
	Date           *DateValue           `json:"date,omitempty"`
	Checkbox       *bool                `json:"checkbox,omitempty"`
	URL            *string              `json:"url,omitempty"`
	Email          *string              `json:"email,omitempty"`
	PhoneNumber    *string              `json:"phone_number,omitempty"`
	People         []Person             `json:"people,omitempty"`
	Relation       []Ref                `json:"relation,omitempty"`
	Formula        *Result              `json:"formula,omitempty"`
	Rollup         *Result              `json:"rollup,omitempty"`
	Files          []FileRef            `json:"files,omitempty"`
	CreatedTime    *string              `json:"created_time,omitempty"`
	LastEditedTime *string              `json:"last_edited_time,omitempty"`
	CreatedBy      *Person              `json:"created_by,omitempty"`
	LastEditedBy   *Person              `json:"last_edited_by,omitempty"`
	UniqueID       *UniqueID            `json:"unique_id,omitempty"`
}

// Option is a select, multi-select or status choice.
type Option struct {
	ID    string `json:"id,omitempty"`
	Name  string `json:"name"`
	Color string `json:"color,omitempty"`
}

// DateValue is a date or a range. Start and End are as Notion writes them:
// "2026-03-01" for a date, RFC 3339 with a time of day for a date-time.
type DateValue struct {
	Start    string  `json:"start"`
	End      *string `json:"end,omitempty"`
	TimeZone *string `json:"time_zone,omitempty"`
}

// Person is a user in a people property; Name is empty when the
// integration may not read user information.
type Person struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// Ref is a related page.
type Ref struct {
	ID string `json:"id"`
}

// Result is a formula's or a rollup's result: a formula gives a string, a
// number, a yes or no or a date; a rollup a number, a date or an array of
// values, with the function that made it.
type Result struct {
	Type     string     `json:"type"`
	String   *string    `json:"string,omitempty"`
	Number   *float64   `json:"number,omitempty"`
	Boolean  *bool      `json:"boolean,omitempty"`
	Date     *DateValue `json:"date,omitempty"`
	Array    []Value    `json:"array,omitempty"`
	Function string     `json:"function,omitempty"`
}

// FileRef is a file in a files property.
type FileRef struct {
	Name string `json:"name"`
}

// UniqueID is an automatic ID such as TASK-12.
type UniqueID struct {
	Prefix *string `json:"prefix,omitempty"`
	Number *int    `json:"number,omitempty"`
}

// Row is a page of a database with its property values by name.
type Row struct {
	ID         string           `json:"id"`
	Title      string           `json:"title"`
	URL        string           `json:"url"`
	Archived   bool             `json:"archived,omitempty"`
	Properties map[string]Value `json:"properties"`
}
