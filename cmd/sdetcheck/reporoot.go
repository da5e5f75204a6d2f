package main

import (
	"os"
	"path/filepath"

	"github.com/sdetcheck/sdetcheck/report"
)

// gitRoot is the root of the git repository holding dir (the nearest
// directory above it with a .git directory or file, as in a worktree), ""
// outside any repository. dir is made absolute first.
func gitRoot(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// sarifRoots sets where SARIF locations are relative to: the root of the
// git repository that holds the audited files, whatever the working
// directory, so that code scanning finds each file in the repository
// (docs/ci.md). An audit's evidence is named relative to its dossier, a
// check's relative to the working directory. Outside a repository, the
// dossier is named as given on the command line.
func sarifRoots(ro *report.Options, cmd string, pos []string) {
	base := "."
	if cmd == "audit" && len(pos) == 1 {
		base = pos[0]
	}
	root := gitRoot(base)
	if root == "" {
		if cmd == "audit" && len(pos) == 1 && !filepath.IsAbs(pos[0]) {
			ro.SourceRoot = filepath.ToSlash(filepath.Clean(pos[0]))
		}
		return
	}
	abs, err := filepath.Abs(base)
	if err != nil {
		return
	}
	// A symbolic link on the way (macOS's /tmp) must not put the base
	// outside its root.
	if r, err := filepath.EvalSymlinks(root); err == nil {
		if a, err := filepath.EvalSymlinks(abs); err == nil {
			root, abs = r, a
		}
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return
	}
	ro.RepoRoot = root
	if rel != "." {
		ro.SourceRoot = filepath.ToSlash(rel)
	}
}
