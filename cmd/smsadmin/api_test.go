package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// The command line reaches the API through httpapi.Client's typed methods
// only: no file of it calls Client.Do (ctx, method, path, body, out) with
// a path of its own making, so that the paths live once, in the client.
func TestCommandLineBuildsNoAPIPaths(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Do" && len(call.Args) == 5 {
				t.Errorf("%s: calls Client.Do with a path of its own; add a typed method to httpapi.Client", fset.Position(call.Pos()))
			}
			return true
		})
	}
}
