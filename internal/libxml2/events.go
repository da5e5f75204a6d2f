package libxml2

import "encoding/binary"

// Events of Scan, as the C handlers write them (native byte order, 32-bit
// lengths and numbers):
//
//	'N' id name           an element name (as written: prefix:local), first use
//	'S' id line           start of an element (line of its '>')
//	'R' uri               the root element's namespace, after its 'S'
//	'A' name value        an attribute or namespace declaration ("xmlns",
//	                      "xmlns:p") of the element just started
//	'E' line col          end of an element (line of its '>', column just
//	                      after it: where libxml2 places an error found
//	                      at the element's end)
//	'T' text              character data (text or CDATA) below depth 2
//	'P' target            a processing instruction
const (
	EvName  = 'N'
	EvStart = 'S'
	EvRoot  = 'R'
	EvAttr  = 'A'
	EvEnd   = 'E'
	EvText  = 'T'
	EvPI    = 'P'
)

// Why Scan stopped a parse (0: it did not).
const (
	StopCaller  = iota + 1 // the events function returned false
	StopGap                // more than 64 KiB between two events
	StopDepth              // elements nested more than 64 deep
	StopAttrs              // an element with more than 256 attributes
	StopName               // a name longer than 1 KiB
	StopNames              // more than 10,000 element names
	StopText               // a value's element longer than 1 MiB
	StopDTD                // a DOCTYPE
	StopMemory             // out of memory
	StopCDATACR            // a CR in a CDATA section: libxml2's push parser passes it on as is
)

// Event is one decoded event; Name and Value alias the batch.
type Event struct {
	Kind             byte
	ID, Line, Column int
	Name, Value      []byte
}

// NextEvent decodes the first event of b into ev and returns the rest. b
// must be a batch handed by Scan (it is trusted: written by the C
// handlers). ev is filled in place (a decoder's hottest path: no struct
// returned by value); fields the kind does not use keep old values.
func NextEvent(b []byte, ev *Event) []byte {
	ev.Kind = b[0]
	b = b[1:]
	switch ev.Kind {
	case EvName:
		ev.ID = int(binary.NativeEndian.Uint32(b))
		n := int(binary.NativeEndian.Uint32(b[4:]))
		ev.Name = b[8 : 8+n]
		return b[8+n:]
	case EvStart:
		ev.ID = int(binary.NativeEndian.Uint32(b))
		ev.Line = int(binary.NativeEndian.Uint32(b[4:]))
		return b[8:]
	case EvEnd:
		ev.Line = int(binary.NativeEndian.Uint32(b))
		ev.Column = int(binary.NativeEndian.Uint32(b[4:]))
		return b[8:]
	case EvAttr:
		n := int(binary.NativeEndian.Uint32(b))
		ev.Name = b[4 : 4+n]
		b = b[4+n:]
		m := int(binary.NativeEndian.Uint32(b))
		ev.Value = b[4 : 4+m]
		return b[4+m:]
	default: // EvRoot, EvText, EvPI
		n := int(binary.NativeEndian.Uint32(b))
		ev.Value = b[4 : 4+n]
		return b[4+n:]
	}
}
