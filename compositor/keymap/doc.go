// Package keymap holds the keymap headway's seat sends on wl_keyboard: a US
// layout (rules evdev, model pc105, layout us, no variant, no options),
// compiled in full so that no client needs xkb-data to use it. Toolkits such
// as GTK and foot refuse to start a keyboard without a valid xkb_v1 keymap,
// and a test compositor must not depend on the host's xkb configuration, so
// the text is embedded rather than compiled at run time.
//
// Provenance: us.xkb is the output of libxkbcommon's xkbcli compile-keymap
// (Debian bookworm's libxkbcommon-tools 1.5.0-1, libxkbcommon0 1.5.0-1)
// over Debian's xkb-data 2.35.1-1 (xkeyboard-config 2.35.1), run by gen.sh
// through go generate with an empty environment and only
// /usr/share/X11/xkb as include path. xkb-data is MIT-licensed data (MIT/X11
// and similar permissive notices); gen.sh copies its notices next to the
// keymap as LICENSE.xkb-data. Regenerating with other versions changes the
// file: record the new versions here.
//
// Invariants:
//
//   - The text is fully compiled: it has no include statements, so
//     libxkbcommon (xkb_keymap_new_from_string) accepts it without any xkb
//     data on the client's machine.
//   - Keycodes are evdev codes plus 8, xkb's rule for evdev: key code 30
//     (KEY_A), as headway_test_v1.key and wl_keyboard.key carry it, is
//     <AC01> = 38 and yields the keysyms a and A.
//   - NewFD's memfd holds the text and one NUL, size counts the NUL (as
//     weston and wlroots send xkb_keymap_get_as_string's result), and it is
//     sealed against shrink, grow, write and further sealing. Since
//     wl_keyboard v7 clients must map the fd MAP_PRIVATE; the write seal,
//     as wlroots applies it, makes the content trustworthy for clients that
//     map it shared anyway. The fd is close-on-exec.
package keymap
