package ecsemu

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Response encoding. Actions produce one value; the JSON rendering of it,
// with RequestId first, is the body. XML (Format=XML) is derived from that
// JSON token by token, so both formats carry the same fields in the same
// order, as the cloud's do:
//
//	{"A":{"B":[{"C":1},{"C":2}]}}  ->  <A><B><C>1</C></B><B><C>2</C></B></A>
//
// An array becomes repeated elements named after its key; an empty array
// becomes nothing; null becomes an empty element.

const (
	contentTypeJSON = "application/json;charset=utf-8"
	// The SDK parses error bodies as XML only with exactly this type.
	contentTypeXML = "text/xml;charset=utf-8"
	xmlHeader      = `<?xml version="1.0" encoding="UTF-8"?>`
)

// jsonBody renders an action's result with RequestId spliced in as the first
// member. The result must render as a JSON object (or null).
func jsonBody(requestID string, result any) ([]byte, error) {
	inner, err := marshalJSON(result)
	if err != nil {
		return nil, fmt.Errorf("encoding response: %w", err)
	}
	id, err := marshalJSON(requestID)
	if err != nil {
		return nil, fmt.Errorf("encoding request id: %w", err)
	}
	var b bytes.Buffer
	b.Grow(len(inner) + len(id) + 16)
	b.WriteString(`{"RequestId":`)
	b.Write(id)
	switch {
	case bytes.Equal(inner, []byte("null")):
		b.WriteByte('}')
	case len(inner) >= 2 && inner[0] == '{':
		rest := bytes.TrimSpace(inner[1:])
		if rest[0] != '}' {
			b.WriteByte(',')
		}
		b.Write(rest)
	default:
		return nil, fmt.Errorf("encoding response: result is %s, not a JSON object", inner[:min(len(inner), 20)])
	}
	return b.Bytes(), nil
}

// marshalJSON is json.Marshal without HTML escaping, as the cloud sends
// "<" and "&" in names and descriptions literally.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(b.Bytes()), nil
}

// jsonToXML converts a JSON object into <root>...</root> preceded by the XML
// declaration.
func jsonToXML(root string, doc []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var b bytes.Buffer
	b.Grow(len(doc) * 2)
	b.WriteString(xmlHeader)
	if err := writeXMLValue(&b, dec, xmlName(root)); err != nil {
		return nil, fmt.Errorf("converting response to XML: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("converting response to XML: trailing data after the object")
	}
	return b.Bytes(), nil
}

// writeXMLValue reads one JSON value from dec and writes it as <name>...</name>.
func writeXMLValue(b *bytes.Buffer, dec *json.Decoder, name string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			b.WriteString("<" + name + ">")
			for dec.More() {
				keyTok, err := dec.Token()
				if err != nil {
					return err
				}
				key, ok := keyTok.(string)
				if !ok {
					return fmt.Errorf("object key is %v, not a string", keyTok)
				}
				if err := writeXMLValue(b, dec, xmlName(key)); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil { // '}'
				return err
			}
			b.WriteString("</" + name + ">")
		case '[':
			// Each element repeats the array's own name.
			for dec.More() {
				if err := writeXMLValue(b, dec, name); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil { // ']'
				return err
			}
		default:
			return fmt.Errorf("unexpected %v", t)
		}
	case nil:
		b.WriteString("<" + name + "></" + name + ">")
	default:
		b.WriteString("<" + name + ">")
		if err := xml.EscapeText(b, []byte(scalarText(t))); err != nil {
			return err
		}
		b.WriteString("</" + name + ">")
	}
	return nil
}

func scalarText(tok json.Token) string {
	switch v := tok.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	return fmt.Sprint(tok)
}

// xmlName makes a JSON key usable as an element name. The documented field
// names already are; anything else has its offending runes replaced.
func xmlName(key string) string {
	ok := key != ""
	for i, r := range key {
		if !isXMLNameRune(r, i == 0) {
			ok = false
			break
		}
	}
	if ok {
		return key
	}
	var sb strings.Builder
	for i, r := range key {
		if isXMLNameRune(r, i == 0) {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('_')
		}
	}
	if sb.Len() == 0 {
		return "_"
	}
	return sb.String()
}

func isXMLNameRune(r rune, first bool) bool {
	if r == '_' || unicode.IsLetter(r) {
		return true
	}
	if first {
		return false
	}
	return r == '-' || r == '.' || unicode.IsDigit(r)
}

// errorBody is the body of every failed call, as the cloud sends it.
type errorBody struct {
	RequestID string `json:"RequestId" xml:"RequestId"`
	HostID    string `json:"HostId" xml:"HostId"`
	Code      string `json:"Code" xml:"Code"`
	Message   string `json:"Message" xml:"Message"`
	Recommend string `json:"Recommend" xml:"Recommend"`
}

// encodeError renders an error body in JSON or, when asXML, as <Error>.
func encodeError(e errorBody, asXML bool) ([]byte, error) {
	if !asXML {
		return marshalJSON(e)
	}
	out, err := xml.Marshal(struct {
		XMLName xml.Name `xml:"Error"`
		errorBody
	}{errorBody: e})
	if err != nil {
		return nil, fmt.Errorf("encoding error as XML: %w", err)
	}
	return append([]byte(xmlHeader), out...), nil
}

// recommendURL is the troubleshooting link the cloud puts in Recommend.
func recommendURL(code, requestID string) string {
	return "https://api.aliyun.com/troubleshoot?q=" + code + "&product=Ecs&requestId=" + requestID
}
