// Package yamlpos finds where a value stands in a YAML document, so that
// errors about a manifest or a mapping name the line of the offending key.
package yamlpos

import (
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Line returns the line of the value reached by path (mapping keys, or
// decimal indexes into sequences) from n, or of the deepest part of path
// that exists. A document node is entered first.
func Line(n *yaml.Node, path ...string) int {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, part := range path {
		if part == "" {
			continue
		}
		switch n.Kind {
		case yaml.MappingNode:
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == part {
					line = n.Content[i].Line
					n = n.Content[i+1]
					found = true
					break
				}
			}
			if !found {
				return line
			}
		case yaml.SequenceNode:
			idx, err := strconv.Atoi(part)
			if err != nil || idx < 0 || idx >= len(n.Content) {
				return line
			}
			n = n.Content[idx]
			line = n.Line
		default:
			return line
		}
	}
	return line
}
