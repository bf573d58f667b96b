package views

import "github.com/a-h/templ"

// hxNavClass is hxNav with the link's class after it, as one attribute
// list: a class given as an attribute value is written as is, where a
// class expression goes through templ's class joiner on every link.
func hxNavClass(u, class string) templ.OrderedAttributes {
	return templ.OrderedAttributes{
		{Key: "hx-get", Value: u},
		{Key: "hx-target", Value: "#results"},
		{Key: "hx-swap", Value: "outerHTML"},
		{Key: "hx-push-url", Value: "true"},
		{Key: "class", Value: class},
	}
}

// classAttr is a class given as a plain attribute value (see hxNavClass).
func classAttr(class string) templ.OrderedAttributes {
	return templ.OrderedAttributes{{Key: "class", Value: class}}
}
