package saml

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"path"
	"regexp"
	"sort"
	"sync"

	xsd "github.com/jacoelho/xsd"
	"github.com/jacoelho/xsd/xsderrors"
	"github.com/sdetcheck/sdetcheck/internal/input"
)

// schemaFS holds the OASIS SAML 2.0 metadata schema and the schemas it
// imports (W3C XML Signature, XML Encryption, xml.xsd), copied verbatim
// with local schemaLocations.
//
//go:embed schema/*.xsd
var schemaFS embed.FS

// metadataSchema is the entry point of the schema set.
const metadataSchema = "saml-schema-metadata-2.0.xsd"

var (
	schemaOnce   sync.Once
	schemaEngine *xsd.Engine
	schemaErr    error
)

// doctypeRe matches a DOCTYPE declaration with its optional internal subset.
// The W3C schemas carry one (declaring entities they never use); the
// validator refuses DTDs, so it is stripped when loading.
var doctypeRe = regexp.MustCompile(`(?s)<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>`)

var asciiDeclRe = regexp.MustCompile(`encoding=["']US-ASCII["']`)

// loadSchema reads one embedded schema, without its DOCTYPE.
func loadSchema(name string) ([]byte, error) {
	data, err := schemaFS.ReadFile(path.Join("schema", name))
	if err != nil {
		return nil, input.Wrap(err, "read embedded schema %s", "lecture du schéma intégré %s impossible", name)
	}
	data = doctypeRe.ReplaceAll(data, nil)
	// Some OASIS files declare US-ASCII, a subset of UTF-8 that the
	// validator does not accept by name.
	return asciiDeclRe.ReplaceAll(data, []byte(`encoding="UTF-8"`)), nil
}

// compiledSchema compiles the metadata schema once per process.
func compiledSchema() (*xsd.Engine, error) {
	schemaOnce.Do(func() {
		resolver := xsd.ResolverFunc(func(_ context.Context, _, location string) (xsd.SchemaSource, error) {
			name := path.Base(location)
			data, err := loadSchema(name)
			if err != nil {
				return xsd.SchemaSource{}, xsderrors.ErrSchemaNotFound
			}
			return xsd.Bytes(name, data), nil
		})
		data, err := loadSchema(metadataSchema)
		if err != nil {
			schemaErr = err
			return
		}
		schemaEngine, schemaErr = xsd.Compile(context.Background(), xsd.Bytes(metadataSchema, data).WithResolver(resolver))
		if schemaErr != nil {
			schemaErr = input.Wrap(schemaErr, "compile SAML metadata schema", "compilation du schéma des métadonnées SAML impossible")
		}
	})
	return schemaEngine, schemaErr
}

// violation is one schema validation error.
type violation struct {
	Line, Column int
	Path         string
	Message      string
}

// validateSchema validates a UTF-8 document against the SAML 2.0 metadata
// schema. It returns the violations found (sorted by position) or an error
// when the schema itself could not be used.
func validateSchema(ctx context.Context, data []byte) ([]violation, error) {
	eng, err := compiledSchema()
	if err != nil {
		return nil, err
	}
	err = eng.ValidateWithOptions(ctx, bytes.NewReader(data), xsd.ValidateOptions{
		MaxErrors: 50,
		// Documents are already bounded (20 MiB) and checked by xmlsafe.
		MaxInstanceTextBytes:  24 << 20,
		MaxInstanceTokenBytes: 24 << 20,
	})
	if err == nil {
		return nil, nil
	}
	var out []violation
	var fatal error
	collect := func(e error) {
		var xe *xsderrors.Error
		if errors.As(e, &xe) {
			if xe.Category != xsderrors.CategoryValidation && fatal == nil {
				fatal = e
			}
			msg := xe.Message
			if msg == "" && xe.Err != nil {
				msg = xe.Err.Error()
			}
			if msg == "" {
				msg = string(xe.Code)
			}
			out = append(out, violation{Line: xe.Line, Column: xe.Column, Path: xe.Path, Message: msg})
			return
		}
		out = append(out, violation{Message: e.Error()})
	}
	var many xsderrors.Errors
	if errors.As(err, &many) {
		for _, e := range many {
			if e != nil {
				collect(e)
			}
		}
	} else {
		collect(err)
	}
	if fatal != nil {
		return nil, input.Wrap(fatal, "validate against schema", "validation par le schéma impossible")
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Column < out[j].Column
	})
	return out, nil
}
