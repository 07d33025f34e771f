package ics

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Param is one property parameter with its values unquoted and RFC 6868
// decoded.
type Param struct {
	Name   string
	Values []string
}

// Property is one content line after unfolding. Value is the raw value as
// written (TEXT still escaped); use Text to decode TEXT values.
type Property struct {
	Name   string
	Params []Param
	Value  string
}

// Param returns the first value of the named parameter and whether the
// parameter is present. Names are case-insensitive.
func (p Property) Param(name string) (string, bool) {
	for _, pr := range p.Params {
		if strings.EqualFold(pr.Name, name) {
			if len(pr.Values) == 0 {
				return "", true
			}
			return pr.Values[0], true
		}
	}
	return "", false
}

// Text decodes Value as TEXT (RFC 5545 §3.3.11).
func (p Property) Text() (string, error) { return unescapeText(p.Value) }

// Component is a BEGIN/END block with its properties and sub-components in
// document order.
type Component struct {
	Name       string
	Properties []Property
	Components []*Component
}

// Property returns the first property with the given name.
func (c *Component) Property(name string) (Property, bool) {
	for _, p := range c.Properties {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return Property{}, false
}

// All returns every property with the given name, in order.
func (c *Component) All(name string) []Property {
	var out []Property
	for _, p := range c.Properties {
		if strings.EqualFold(p.Name, name) {
			out = append(out, p)
		}
	}
	return out
}

// Children returns the sub-components with the given name, in order.
func (c *Component) Children(name string) []*Component {
	var out []*Component
	for _, s := range c.Components {
		if strings.EqualFold(s.Name, name) {
			out = append(out, s)
		}
	}
	return out
}

// Parse reads one VCALENDAR. It is strict on purpose, to catch mistakes a
// lenient client would hide: lines must end with CRLF, physical lines must
// be at most 75 octets, folds must not split a UTF-8 sequence, there must be
// no empty lines, and BEGIN/END must nest with exactly one VCALENDAR at the
// top. Names are returned in upper case.
func Parse(data []byte) (*Component, error) {
	if len(data) == 0 {
		return nil, syntaxf("empty input")
	}
	if !bytes.HasSuffix(data, []byte("\r\n")) {
		return nil, syntaxf("input does not end with CRLF")
	}
	physical := strings.Split(string(data[:len(data)-2]), "\r\n")
	var logical []string
	for i, l := range physical {
		n := i + 1
		if strings.ContainsAny(l, "\r\n") {
			return nil, syntaxf("line %d: bare CR or LF (lines must end with CRLF)", n)
		}
		if len(l) > maxOctets {
			return nil, syntaxf("line %d is %d octets long (at most %d)", n, len(l), maxOctets)
		}
		if !utf8.ValidString(l) {
			return nil, syntaxf("line %d is not valid UTF-8 on its own (a fold split a character?)", n)
		}
		if l == "" {
			return nil, syntaxf("line %d is empty", n)
		}
		if l[0] == ' ' || l[0] == '\t' {
			if len(logical) == 0 {
				return nil, syntaxf("line %d continues nothing", n)
			}
			logical[len(logical)-1] += l[1:]
			continue
		}
		logical = append(logical, l)
	}

	var root *Component
	var stack []*Component
	for i, l := range logical {
		p, err := parseLine(l)
		if err != nil {
			return nil, syntaxf("content line %d: %v", i+1, err)
		}
		switch p.Name {
		case "BEGIN":
			name := strings.ToUpper(p.Value)
			if !isName(name) {
				return nil, syntaxf("content line %d: bad component name %q", i+1, p.Value)
			}
			c := &Component{Name: name}
			switch {
			case len(stack) > 0:
				top := stack[len(stack)-1]
				top.Components = append(top.Components, c)
			case root != nil:
				return nil, syntaxf("content line %d: a second top-level component", i+1)
			case name != "VCALENDAR":
				return nil, syntaxf("content line %d: top-level component is %s, not VCALENDAR", i+1, name)
			default:
				root = c
			}
			stack = append(stack, c)
		case "END":
			if len(stack) == 0 || !strings.EqualFold(stack[len(stack)-1].Name, p.Value) {
				return nil, syntaxf("content line %d: END:%s does not close the open component", i+1, p.Value)
			}
			stack = stack[:len(stack)-1]
		default:
			if len(stack) == 0 {
				return nil, syntaxf("content line %d: property %s outside any component", i+1, p.Name)
			}
			top := stack[len(stack)-1]
			top.Properties = append(top.Properties, p)
		}
	}
	if root == nil {
		return nil, syntaxf("no VCALENDAR")
	}
	if len(stack) > 0 {
		return nil, syntaxf("%s is never closed", stack[len(stack)-1].Name)
	}
	return root, nil
}

// parseLine splits name *(";" param) ":" value (RFC 5545 §3.1).
func parseLine(l string) (Property, error) {
	var p Property
	i := 0
	for i < len(l) && isNameByte(l[i]) {
		i++
	}
	if i == 0 {
		return p, syntaxf("no property name")
	}
	p.Name = strings.ToUpper(l[:i])
	for {
		if i == len(l) {
			return p, syntaxf("%s has no ':'", p.Name)
		}
		if l[i] == ':' {
			p.Value = l[i+1:]
			if hasControl(p.Value) {
				return p, syntaxf("%s value holds control characters", p.Name)
			}
			return p, nil
		}
		if l[i] != ';' {
			return p, syntaxf("%s: unexpected %q after the name or a parameter", p.Name, l[i])
		}
		i++
		j := i
		for j < len(l) && isNameByte(l[j]) {
			j++
		}
		if j == i || j == len(l) || l[j] != '=' {
			return p, syntaxf("%s: malformed parameter", p.Name)
		}
		pr := Param{Name: strings.ToUpper(l[i:j])}
		i = j + 1
		for {
			var v string
			if i < len(l) && l[i] == '"' {
				end := strings.IndexByte(l[i+1:], '"')
				if end < 0 {
					return p, syntaxf("%s: unterminated quoted parameter value", p.Name)
				}
				v = l[i+1 : i+1+end]
				i += end + 2
			} else {
				j := i
				for j < len(l) && l[j] != ';' && l[j] != ':' && l[j] != ',' {
					if l[j] == '"' {
						return p, syntaxf("%s: a quote inside an unquoted parameter value", p.Name)
					}
					j++
				}
				v = l[i:j]
				i = j
			}
			if hasControl(v) {
				return p, syntaxf("%s: parameter value holds control characters", p.Name)
			}
			pr.Values = append(pr.Values, decodeParamValue(v))
			if i < len(l) && l[i] == ',' {
				i++
				continue
			}
			break
		}
		p.Params = append(p.Params, pr)
	}
}

func isNameByte(c byte) bool {
	return c == '-' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i]) {
			return false
		}
	}
	return true
}
