package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
)

// openAPI is the part of an OpenAPI 3.1 document the tests read.
type openAPI struct {
	OpenAPI    string                          `json:"openapi"`
	Info       struct{ Title, Version string } `json:"info"`
	Security   []map[string][]string           `json:"security"`
	Paths      map[string]map[string]json.RawMessage
	Components struct {
		SecuritySchemes map[string]json.RawMessage `json:"securitySchemes"`
		Schemas         map[string]*schema         `json:"schemas"`
	} `json:"components"`
}

type operation struct {
	Summary     string                     `json:"summary"`
	Security    *[]map[string][]string     `json:"security"`
	Responses   map[string]json.RawMessage `json:"responses"`
	Parameters  []parameter                `json:"parameters"`
	RequestBody json.RawMessage            `json:"requestBody"`
}

type parameter struct {
	Ref  string `json:"$ref"`
	Name string `json:"name"`
	In   string `json:"in"`
}

type schema struct {
	Ref        string             `json:"$ref"`
	Type       string             `json:"type"`
	Format     string             `json:"format"`
	Required   []string           `json:"required"`
	Properties map[string]*schema `json:"properties"`
	Items      *schema            `json:"items"`
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func loadOpenAPI(t *testing.T) *openAPI {
	t.Helper()
	var doc openAPI
	if err := json.Unmarshal(api.OpenAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Info.Title == "" || doc.Info.Version == "" {
		t.Fatalf("openapi.json: openapi %q, info %+v; want a 3.1.0 document with a title and version", doc.OpenAPI, doc.Info)
	}
	return &doc
}

// operations returns the document's operations by "METHOD /path".
func (doc *openAPI) operations(t *testing.T) map[string]operation {
	t.Helper()
	ops := map[string]operation{}
	for path, item := range doc.Paths {
		var pathParams []parameter
		if raw, ok := item["parameters"]; ok {
			if err := json.Unmarshal(raw, &pathParams); err != nil {
				t.Fatalf("%s parameters: %v", path, err)
			}
		}
		for key, raw := range item {
			if !slices.Contains(httpMethods, key) {
				continue
			}
			var op operation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", key, path, err)
			}
			op.Parameters = append(op.Parameters, pathParams...)
			ops[strings.ToUpper(key)+" "+path] = op
		}
	}
	return ops
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)

// openAPIPath writes a gin path the OpenAPI way: /a/:id -> /a/{id}.
func openAPIPath(p string) string { return ginParam.ReplaceAllString(p, "{$1}") }

func newBareServer() *api.Server {
	return api.New(api.Config{}, nil, nil, nil, nil, nil)
}

// The document lists exactly the routes the server serves.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	ops := doc.operations(t)
	routes := map[string]api.RouteInfo{}
	for _, r := range newBareServer().Routes() {
		routes[r.Method+" "+openAPIPath(r.Path)] = r
	}
	if len(routes) == 0 {
		t.Fatal("the server has no routes")
	}
	for k := range routes {
		if _, ok := ops[k]; !ok {
			t.Errorf("route %s is not in openapi.json", k)
		}
	}
	for k := range ops {
		if _, ok := routes[k]; !ok {
			t.Errorf("openapi.json lists %s, which the server does not serve", k)
		}
	}

	for k, op := range ops {
		r := routes[k]
		if op.Summary == "" {
			t.Errorf("%s has no summary", k)
		} else if r.Summary != "" && op.Summary != r.Summary {
			t.Errorf("%s: summary %q, the route table says %q", k, op.Summary, r.Summary)
		}
		if len(op.Responses) == 0 {
			t.Errorf("%s has no responses", k)
		}
		// A staff-only route says it needs credentials (the document's
		// default), and says who may be refused.
		if r.Staff != nil {
			if op.Security != nil && len(*op.Security) == 0 {
				t.Errorf("%s is staff-only but the document marks it public", k)
			}
			for _, code := range []string{"401"} {
				if _, ok := op.Responses[code]; !ok {
					t.Errorf("%s is staff-only but lists no %s response", k, code)
				}
			}
			if len(r.Staff) < 4 {
				if _, ok := op.Responses["403"]; !ok {
					t.Errorf("%s is limited to %v but lists no 403 response", k, r.Staff)
				}
			}
		}
		// Every path parameter is declared.
		for _, m := range regexp.MustCompile(`\{([^}]+)\}`).FindAllStringSubmatch(k, -1) {
			declared := false
			for _, p := range op.Parameters {
				if p.Name == m[1] && p.In == "path" || p.Ref == "#/components/parameters/ConversationID" && m[1] == "id" {
					declared = true
				}
			}
			if !declared {
				t.Errorf("%s does not declare its path parameter %q", k, m[1])
			}
		}
	}
	if _, ok := doc.Components.SecuritySchemes["bearerAuth"]; !ok || len(doc.Security) == 0 {
		t.Error("openapi.json has no default bearer security")
	}
}

// Every $ref points at something the document defines.
func TestOpenAPIRefsResolve(t *testing.T) {
	var doc any
	if err := json.Unmarshal(api.OpenAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				target := doc
				for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
					m, _ := target.(map[string]any)
					target = m[part]
				}
				if !strings.HasPrefix(ref, "#/") || target == nil {
					t.Errorf("$ref %q does not resolve", ref)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
}

// The schemas describe the wire types field by field.
func TestOpenAPISchemasMatchWireTypes(t *testing.T) {
	doc := loadOpenAPI(t)
	wire := map[string]any{
		"Error":                      api.ErrorBody{},
		"ErrorDetail":                api.ErrorDetail{},
		"CreateConversationRequest":  api.CreateConversationRequest{},
		"Conversation":               api.ConversationJSON{},
		"CreateConversationResponse": api.CreateConversationResponse{},
		"PostMessageRequest":         api.PostMessageRequest{},
		"Message":                    api.MessageJSON{},
		"PostMessageResponse":        api.PostMessageResponse{},
		"MessagesResponse":           api.MessagesResponse{},
		"ConversationsResponse":      api.ConversationsResponse{},
		"ConversationStateResponse":  api.ConversationStateResponse{},
		"LoginRequest":               api.LoginRequest{},
		"LoginResponse":              api.LoginResponse{},
		"User":                       api.UserJSON{},
		"MeResponse":                 api.MeResponse{},
		"CreateUserRequest":          api.CreateUserRequest{},
		"UsersResponse":              api.UsersResponse{},
		"CreateAPIKeyRequest":        api.CreateAPIKeyRequest{},
		"CreateAPIKeyResponse":       api.CreateAPIKeyResponse{},
		"EndSessionsResponse":        api.EndSessionsResponse{},
		"Tenant":                     api.TenantJSON{},
		"TenantsResponse":            api.TenantsResponse{},
		"CreateTenantRequest":        api.CreateTenantRequest{},
		"CreateTenantResponse":       api.CreateTenantResponse{},
		"RotateSecretRequest":        api.RotateSecretRequest{},
		"RotateSecretResponse":       api.RotateSecretResponse{},
		"WSClientFrame":              api.WSClientFrame{},
		"WSFrame":                    api.WSFrame{},
		"Attachments":                assist.Attachments{},
		"Choice":                     assist.Choice{},
		"Card":                       assist.Card{},
		"CardField":                  assist.Field{},
		"Source":                     assist.Source{},
		"RatingRequest":              api.RatingRequest{},
		"RatingResponse":             api.RatingResponse{},
	}
	resolve := func(s *schema) *schema {
		if s != nil && s.Ref != "" {
			return doc.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
		}
		return s
	}
	timeType := reflect.TypeFor[time.Time]()
	var wantType func(t reflect.Type) string
	wantType = func(t reflect.Type) string {
		switch {
		case t == timeType:
			return "string/date-time"
		case t.Kind() == reflect.Pointer:
			return wantType(t.Elem())
		case t.Kind() == reflect.String:
			return "string"
		case t.Kind() == reflect.Bool:
			return "boolean"
		case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
			return "integer"
		case t.Kind() == reflect.Slice:
			return "array"
		case t.Kind() == reflect.Struct:
			return "object"
		}
		return t.String()
	}
	for name, v := range wire {
		t.Run(name, func(t *testing.T) {
			s := doc.Components.Schemas[name]
			if s == nil {
				t.Fatalf("no schema %s", name)
			}
			typ := reflect.TypeOf(v)
			var fields, required []string
			for f := range typ.Fields() {
				tag, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
				if tag == "" || tag == "-" {
					t.Fatalf("field %s has no JSON name", f.Name)
				}
				fields = append(fields, tag)
				if !strings.Contains(opts, "omitempty") {
					required = append(required, tag)
				}
				p := resolve(s.Properties[tag])
				if p == nil {
					continue // reported below
				}
				got := p.Type
				if p.Format == "date-time" {
					got += "/" + p.Format
				}
				if want := wantType(f.Type); got != want {
					t.Errorf("property %s is %q, the Go field %s %s is %q", tag, got, f.Name, f.Type, want)
				}
			}
			var props []string
			for p := range s.Properties {
				props = append(props, p)
			}
			slices.Sort(fields)
			slices.Sort(props)
			slices.Sort(required)
			req := slices.Sorted(slices.Values(s.Required))
			if !slices.Equal(props, fields) {
				t.Errorf("properties %v, the Go type %s has %v", props, typ, fields)
			}
			if !slices.Equal(req, required) {
				t.Errorf("required %v, the Go type %s always sends %v", req, typ, required)
			}
		})
	}
}

func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t)
	r := e.get("/openapi.json", "")
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || !bytes.Equal(r.Body, api.OpenAPIDocument) {
		t.Errorf("/openapi.json = %d %s, %d bytes; want the embedded document", r.Status, r.Header.Get("Content-Type"), len(r.Body))
	}
}
