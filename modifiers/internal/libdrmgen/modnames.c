/*
 * modnames: golden-data generator for the Go package modifiers/modifier.
 *
 * Reads one 64-bit format modifier per line on stdin, in hexadecimal (an
 * optional 0x prefix is accepted; blank lines and lines starting with '#'
 * are skipped) and prints, for each one:
 *
 *     0x%016llx <TAB> vendor <TAB> name <NEWLINE>
 *
 * where vendor is drmGetFormatModifierVendor() and name is
 * drmGetFormatModifierName() of the installed libdrm (the Go tests pin
 * Debian's 2.4.114). A NULL result from either function is printed as the
 * marker "(null)", which neither function can return as a real string.
 *
 * Build: cc -o modnames modnames.c $(pkg-config --cflags --libs libdrm)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xf86drm.h>

#define NULL_MARKER "(null)"

int main(void)
{
	char line[256];
	unsigned long lineno = 0;

	while (fgets(line, sizeof(line), stdin)) {
		char *end;
		unsigned long long v;
		char *vendor, *name;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;

		errno = 0;
		v = strtoull(line, &end, 16);
		if (errno != 0 || end == line || *end != '\0') {
			fprintf(stderr, "modnames: line %lu: not a hex value: %s\n",
				lineno, line);
			return 1;
		}

		vendor = drmGetFormatModifierVendor((uint64_t)v);
		name = drmGetFormatModifierName((uint64_t)v);
		printf("0x%016llx\t%s\t%s\n", v,
		       vendor ? vendor : NULL_MARKER,
		       name ? name : NULL_MARKER);
		free(vendor);
		free(name);
	}
	if (ferror(stdin)) {
		perror("modnames: stdin");
		return 1;
	}
	return 0;
}
