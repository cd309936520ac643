package profile

import (
	"bytes"
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
	"syscall"
)

//go:embed profiles/*.profile
var builtin embed.FS

const profileExt = ".profile"

// ErrUnknownProfile is returned by Load for a name no built-in profile
// has; it wraps syscall.ENOENT.
var ErrUnknownProfile = fmt.Errorf("unknown device profile: %w", syscall.ENOENT)

// Names returns the built-in profiles' names, sorted.
func Names() []string {
	ents, err := builtin.ReadDir("profiles")
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), profileExt); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// Load parses the built-in profile name. Each call returns a new Profile.
// A file whose name line disagrees with its file name is an error, so a
// profile is always loaded by the name it reports.
func Load(name string) (*Profile, error) {
	if !validName(name) {
		return nil, fmt.Errorf("load profile %q: %w", name, ErrUnknownProfile)
	}
	file := path.Join("profiles", name+profileExt)
	data, err := builtin.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("load profile %q: %w", name, ErrUnknownProfile)
	}
	p, err := parseNamed(file, bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("load profile %q: %w", name, err)
	}
	if p.Name != name {
		return nil, fmt.Errorf("load profile %q: %w", name,
			&Error{File: file, Field: "name", Err: fmt.Errorf("file says %q", p.Name)})
	}
	return p, nil
}
