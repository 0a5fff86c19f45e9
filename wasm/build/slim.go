package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// unwanted are the imports removed from the templ runtime for the
// browser, with every declaration that uses them.
var unwanted = map[string]bool{"net/http": true, "html/template": true}

// equivalents replace uses of unwanted packages that have one without
// them: http.Flusher is exactly interface{ Flush() }, so a type assertion
// to either means the same.
var equivalents = map[string]string{"http.Flusher": "interface{ Flush() }"}

// slimmedPackages are the templ packages (relative to the module) whose
// declarations are filtered; every other file is copied as it is.
var slimmedPackages = map[string]bool{".": true, "runtime": true}

// slimTempl copies the templ module at src to dst (without tests) and
// removes from its slimmed packages every top-level declaration that uses
// an unwanted import, then every declaration that uses one removed, until
// nothing changes. What remains compiles or the build fails: nothing is
// rewritten, only left out.
func slimTempl(src, dst string) error {
	pkgs := map[string][]string{} // package dir (relative) → its .go files
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			if d.Name() == "testdata" || (strings.HasPrefix(d.Name(), ".") && rel != ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, "_test.go") {
			return nil
		}
		if dir := filepath.Dir(rel); strings.HasSuffix(p, ".go") && slimmedPackages[dir] {
			pkgs[dir] = append(pkgs[dir], rel)
			return nil
		}
		return copyFile(p, filepath.Join(dst, rel))
	})
	if err != nil {
		return err
	}
	for dir, files := range pkgs {
		if err := slimPackage(src, dst, files); err != nil {
			return fmt.Errorf("package %s: %w", dir, err)
		}
	}
	if len(pkgs) != len(slimmedPackages) {
		return fmt.Errorf("found %d of the %d packages to slim: the module's layout changed", len(pkgs), len(slimmedPackages))
	}
	return nil
}

func slimPackage(src, dst string, files []string) error {
	fset := token.NewFileSet()
	parsed := make([]*ast.File, len(files))
	for i, rel := range files {
		f, err := parser.ParseFile(fset, filepath.Join(src, rel), nil, parser.ParseComments)
		if err != nil {
			return err
		}
		parsed[i] = f
	}

	for _, f := range parsed {
		if err := replaceEquivalents(f); err != nil {
			return err
		}
	}

	// Names declared by removed declarations; a declaration using one of
	// them goes too. Several rounds, as removals chain.
	removed := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for _, f := range parsed {
			banned := unwantedNames(f)
			kept := f.Decls[:0]
			for _, d := range f.Decls {
				if usesAny(d, banned, removed) {
					for _, n := range declaredNames(d) {
						removed[n] = true
					}
					changed = true
					continue
				}
				kept = append(kept, d)
			}
			f.Decls = kept
		}
	}
	for i, f := range parsed {
		dropUnusedImports(f)
		// Comments of removed declarations would otherwise float into
		// what is left; the copy is compiled, not read.
		f.Comments = nil
		var b bytes.Buffer
		if err := format.Node(&b, fset, f); err != nil {
			return fmt.Errorf("%s: %w", files[i], err)
		}
		out := filepath.Join(dst, files[i])
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// replaceEquivalents rewrites type assertions to an unwanted type that
// has an equivalent (see equivalents).
func replaceEquivalents(f *ast.File) error {
	var err error
	ast.Inspect(f, func(n ast.Node) bool {
		ta, ok := n.(*ast.TypeAssertExpr)
		if !ok || ta.Type == nil {
			return true
		}
		sel, ok := ta.Type.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		if eq, ok := equivalents[id.Name+"."+sel.Sel.Name]; ok {
			var e ast.Expr
			if e, err = parser.ParseExpr(eq); err == nil {
				ta.Type = e
			}
		}
		return err == nil
	})
	return err
}

// unwantedNames are the names the file gives to unwanted imports.
func unwantedNames(f *ast.File) map[string]bool {
	names := map[string]bool{}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if !unwanted[p] {
			continue
		}
		name := p[strings.LastIndex(p, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = true
	}
	return names
}

// usesAny says whether d refers to an unwanted package (pkg.Name) or to a
// removed declaration, including as a method's receiver type.
func usesAny(d ast.Decl, pkgs, removed map[string]bool) bool {
	if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
		return false
	}
	found := false
	ast.Inspect(d, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok && pkgs[id.Name] {
				found = true
			}
		case *ast.Ident:
			if removed[n.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}

// declaredNames are the package-level names d declares; a method declares
// none (its receiver's type keeps the name).
func declaredNames(d ast.Decl) []string {
	var names []string
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil {
			names = append(names, d.Name.Name)
		}
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				names = append(names, s.Name.Name)
			case *ast.ValueSpec:
				for _, n := range s.Names {
					names = append(names, n.Name)
				}
			}
		}
	}
	return names
}

// dropUnusedImports removes the imports nothing in f uses any more.
func dropUnusedImports(f *ast.File) {
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if s, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := s.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	var imports []*ast.ImportSpec
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.IMPORT {
			continue
		}
		specs := g.Specs[:0]
		for _, s := range g.Specs {
			imp := s.(*ast.ImportSpec)
			p, _ := strconv.Unquote(imp.Path.Value)
			name := p[strings.LastIndex(p, "/")+1:]
			if imp.Name != nil {
				name = imp.Name.Name
			}
			if name == "_" || name == "." || used[name] || !unwanted[p] && !guessable(p) {
				specs = append(specs, s)
				imports = append(imports, imp)
			}
		}
		g.Specs = specs
	}
	f.Imports = imports
}

// guessable says whether an import's name is its path's last element, so
// that dropUnusedImports can tell it is unused; others are kept.
func guessable(path string) bool {
	last := path[strings.LastIndex(path, "/")+1:]
	return !strings.ContainsAny(last, ".-") && !strings.HasPrefix(last, "v")
}
