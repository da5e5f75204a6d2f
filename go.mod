module github.com/sdetcheck/sdetcheck

go 1.26.2

require (
	github.com/beevik/etree v1.8.1
	github.com/mattermost/xml-roundtrip-validator v0.1.0
	golang.org/x/net v0.62.0
	golang.org/x/text v0.43.0
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/jacoelho/xsd v0.3.0 // indirect
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3 // indirect
)
