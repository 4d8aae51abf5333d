package verify

import (
	"bytes"
	"debug/elf"
	"fmt"
)

// machines maps a GOARCH to the ELF machine its kernels execute.
var machines = map[string]elf.Machine{
	"amd64": elf.EM_X86_64,
	"arm64": elf.EM_AARCH64,
}

// staticELF checks bin runs on arch with nothing but the kernel: no program
// interpreter and no shared libraries, since the runtime image has no libc.
func staticELF(bin []byte, arch string) []error {
	f, err := elf.NewFile(bytes.NewReader(bin))
	if err != nil {
		return []error{fmt.Errorf("%w: %w", ErrNotStatic, err)}
	}
	defer func() { _ = f.Close() }()
	var errs []error
	if want, ok := machines[arch]; !ok || f.Machine != want || f.Class != elf.ELFCLASS64 {
		errs = append(errs, fmt.Errorf("%w: want %s, got %s %s", ErrArch, arch, f.Class, f.Machine))
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			errs = append(errs, fmt.Errorf("%w: it asks for a program interpreter", ErrNotStatic))
		}
	}
	libs, err := f.ImportedLibraries()
	if err != nil {
		errs = append(errs, fmt.Errorf("%w: cannot read its dynamic section: %w", ErrNotStatic, err))
	}
	if len(libs) > 0 {
		errs = append(errs, fmt.Errorf("%w: it needs %v", ErrNotStatic, libs))
	}
	return errs
}
