package smsadmin_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// errorsClause is one code of an "Errors:" paragraph: its wire name and,
// in parentheses, its constant.
var errorsClause = regexp.MustCompile(`\b([a-z_]+) \((Code[A-Za-z]+)\)`)

// Every exported method of Service says which error codes it returns, so
// that a caller need not read its body (the convention of Service's
// comment): the last paragraph of its comment is "Errors: none." or starts
// "Errors:" and names at least one code as "wire_name (CodeConstant)",
// each constant one of error.go's, with its own wire name. The root
// package's files are read as source (test files aside: they add no
// product method).
func TestServiceMethodsNameTheirErrors(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	pkg, err := doc.NewFromFiles(fset, files, "smsadmin")
	if err != nil {
		t.Fatal(err)
	}

	codes := map[string]string{} // constant -> wire name
	for _, c := range pkg.Consts {
		for _, spec := range c.Decl.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, id := range vs.Names {
				if !strings.HasPrefix(id.Name, "Code") || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					codes[id.Name], _ = strconv.Unquote(lit.Value)
				}
			}
		}
	}
	if codes["CodeNotFound"] != "not_found" {
		t.Fatalf("read the error codes as %v: CodeNotFound is missing", codes)
	}

	var service *doc.Type
	for _, typ := range pkg.Types {
		if typ.Name == "Service" {
			service = typ
		}
	}
	if service == nil || len(service.Methods) == 0 {
		t.Fatal("found no exported method of Service")
	}
	for _, m := range service.Methods {
		paras := strings.Split(strings.TrimSpace(m.Doc), "\n\n")
		last := strings.Join(strings.Fields(paras[len(paras)-1]), " ")
		switch {
		case m.Doc == "":
			t.Errorf("%s has no doc comment; end it with the codes it returns (\"Errors: not_found (CodeNotFound) when ...\") or \"Errors: none.\"", m.Name)
			continue
		case last == "Errors: none.":
			continue
		case !strings.HasPrefix(last, "Errors:"):
			t.Errorf("%s: the last paragraph of its comment is not an \"Errors:\" paragraph: %q", m.Name, last)
			continue
		}
		named := errorsClause.FindAllStringSubmatch(last, -1)
		if len(named) == 0 {
			t.Errorf("%s: %q names no code as \"wire_name (CodeConstant)\"; one that returns no code says \"Errors: none.\"", m.Name, last)
		}
		for _, c := range named {
			wire, constant := c[1], c[2]
			switch want, ok := codes[constant]; {
			case !ok:
				t.Errorf("%s: %s is no error code of error.go", m.Name, constant)
			case want != wire:
				t.Errorf("%s: names %s as %q; its wire name is %q", m.Name, constant, wire, want)
			}
		}
	}
}
