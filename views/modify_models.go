package views

import (
	"net/url"

	"enidash/internal/eni"
)

// Forms that change an ENI after it exists.
const (
	FormEdit = "edit"
	FormIPs  = "ips"
	FormTags = "tags"
)

// ModifyPage is the edit page (attributes and tags) or the addresses page
// of one ENI, with the values as typed and the messages at their fields
// when a submit was refused.
type ModifyPage struct {
	Chrome
	Form string // FormEdit (with the tags form) or FormIPs
	ENI  eni.ENI
	Back string
	// Failed is the form the messages belong to (FormEdit, FormTags or
	// FormIPs); Errors and Failure are about it.
	Failed  string
	Errors  eni.FieldErrors
	Failure *Failure
	// Edit: the values, and the VPC's security groups with their kind.
	Name, Description string
	Groups            []eni.SecurityGroup
	Chosen            []string
	DeleteOnRelease   bool
	SourceDestCheck   bool
	// QueueNumber as typed. QueueFixed (a primary ENI's) shows it with no
	// input; QueueLocked (its instance is not Stopped) disables the input;
	// QueueNote says why, or what the instance type allows.
	QueueNumber             string
	QueueFixed, QueueLocked bool
	QueueNote               string
	Tags                    string
	// Addresses: the values, how many more of each family the ENI may
	// take (Allowed), and what its vSwitch has free (Room).
	Family, Op, Count, Addresses string
	Allowed                      []eni.AddressLimit
	Room                         string
}

// ModifyURL is the page of a form changing an ENI.
func ModifyURL(form, region, id string) string {
	return "/enis/" + url.PathEscape(id) + "/" + form + "?" + url.Values{"region": {region}}.Encode()
}

// TagLines writes tags as the tags form takes them, one key=value a line.
func TagLines(tags []eni.Tag) string {
	s := ""
	for _, t := range tags {
		s += t.Key + "=" + t.Value + "\n"
	}
	return s
}
