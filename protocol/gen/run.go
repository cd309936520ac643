package gen

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/headwaywl/headway/protocol/spec"
)

// Files returns the generated files of mode ("server" or "client") keyed by
// their path relative to the module root, from the XML files in xmlDir.
func Files(mode, xmlDir string) (map[string][]byte, error) {
	var pkgs []Package
	var emit func(*spec.Set, string, []Package) ([]byte, error)
	switch mode {
	case "server":
		pkgs, emit = ServerPackages, Server
	case "client":
		pkgs, emit = ClientPackages, Client
	default:
		return nil, fmt.Errorf("gen: unknown mode %q (want server or client)", mode)
	}
	// The whole server set is loaded in both modes: client protocols refer to
	// core interfaces, which must resolve.
	names := make([]string, 0, len(ServerPackages))
	for _, p := range ServerPackages {
		names = append(names, p.File)
	}
	set, err := spec.Load(os.DirFS(xmlDir), names...)
	if err != nil {
		return nil, fmt.Errorf("gen: load %s: %w", xmlDir, err)
	}
	out := make(map[string][]byte, len(pkgs))
	for _, p := range pkgs {
		if set.Protocol(p.Protocol) == nil {
			return nil, fmt.Errorf("gen: %s does not declare protocol %s", p.File, p.Protocol)
		}
		src, err := emit(set, p.Protocol, pkgs)
		if err != nil {
			return nil, err
		}
		out[filepath.Join(p.Dir, p.OutFile())] = src
		if p.HandDoc {
			continue
		}
		doc, err := docFor(mode, p)
		if err != nil {
			return nil, err
		}
		out[filepath.Join(p.Dir, "doc.go")] = doc
	}
	return out, nil
}

// Run generates mode's files under root.
func Run(mode, xmlDir, root string) error {
	files, err := Files(mode, xmlDir)
	if err != nil {
		return err
	}
	for rel, src := range files {
		path := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("gen: %w", err)
		}
		if err := os.WriteFile(path, src, 0o644); err != nil {
			return fmt.Errorf("gen: %w", err)
		}
	}
	return nil
}

func docFor(mode string, p Package) ([]byte, error) {
	if mode == "client" {
		return clientDoc(p)
	}
	return serverDoc(p)
}
