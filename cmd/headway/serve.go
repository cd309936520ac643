package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/protocol/socket"
)

var serveUsage = `headway serve [--socket NAME] [--profile NAME] [--clock realtime|manual|lockstep]
              [--size WxH] [--primary-format FORMAT] [--crc] [--log-file FILE]
              [--dmabuf-strict on|off] [--check-ownership]

serve runs the headless compositor for external clients. It prints
WAYLAND_DISPLAY=<name> on stdout once it accepts connections, and on SIGINT
or SIGTERM shuts down and removes its socket and lock file.

  --socket NAME         socket name under $XDG_RUNTIME_DIR (default: the first
                        free wayland-N) or an absolute path
  --profile NAME        fake KMS device (default vkms): ` + strings.Join(profile.Names(), ", ") + `
  --clock MODE          realtime (default): vblanks at the mode's refresh;
                        manual: only headway_test_v1.advance moves time;
                        lockstep: a vblank when a frame is due and every client
                        given a frame callback has committed again
  --size WxH            a mode of the first connector (default: preferred)
  --primary-format F    primary framebuffer format (default XRGB16161616 where
                        the primary plane lists it, else XRGB8888)
  --crc                 collect a CRC for every frame (costs one device
                        composition per frame; clients can ask with
                        headway_test_v1.enable_crc instead)
  --log-file FILE       write the negotiation log (JSON lines) to FILE
  --dmabuf-strict on|off
                        off turns the linux-dmabuf checks headway makes beyond
                        wlroots' (holes in the plane list, pairs never
                        advertised, the plane count and layout rules) into
                        dmabuf_warning log lines (default on)
  --check-ownership     hash every buffer while the compositor owns it (from
                        commit, or from its acquire signal, to its release)
                        and log each write the client makes meanwhile as an
                        ownership_violation line (default off: no cost)`

func init() {
	register(&command{
		name:    "serve",
		summary: "run the headless compositor for external Wayland clients",
		usage:   serveUsage,
		run:     runServe,
	})
}

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sock := fs.String("socket", "", "socket name or path")
	prof := fs.String("profile", "vkms", "device profile")
	clock := fs.String("clock", "realtime", "realtime, manual or lockstep")
	size := fs.String("size", "", "mode size WxH")
	primary := fs.String("primary-format", "", "primary framebuffer format")
	crcOn := fs.Bool("crc", false, "collect per-frame CRCs")
	logFile := fs.String("log-file", "", "negotiation log file")
	strict := fs.String("dmabuf-strict", "on", "on, or off to log headway's extra linux-dmabuf checks as warnings")
	owned := fs.Bool("check-ownership", false, "log client writes into buffers the compositor owns")
	fs.Usage = func() { fmt.Fprintln(stderr, serveUsage) }
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "headway serve: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *strict != "on" && *strict != "off" {
		fmt.Fprintf(stderr, "headway serve: --dmabuf-strict: want on or off, got %q\n", *strict)
		return exitUsage
	}
	cfg := compositor.Config{CRCOnDemand: !*crcOn, DmabufLenient: *strict == "off", CheckOwnership: *owned, Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	var err error
	if cfg.Profile, err = profile.Load(*prof); err != nil {
		fmt.Fprintf(stderr, "headway serve: %v\n", err)
		return exitUsage
	}
	if cfg.Clock, err = compositor.ParseClockMode(*clock); err != nil {
		fmt.Fprintf(stderr, "headway serve: --clock: %v\n", err)
		return exitUsage
	}
	if *size != "" {
		if cfg.Width, cfg.Height, err = compositor.ParseSize(*size); err != nil {
			fmt.Fprintf(stderr, "headway serve: --size: %v\n", err)
			return exitUsage
		}
	}
	if *primary != "" {
		f, err := fourcc.Parse(*primary)
		if err != nil {
			fmt.Fprintf(stderr, "headway serve: --primary-format: %v\n", err)
			return exitUsage
		}
		cfg.PrimaryFormat = f
	}
	if *logFile != "" {
		f, err := os.Create(*logFile)
		if err != nil {
			fmt.Fprintf(stderr, "headway serve: %v\n", err)
			return exitFailure
		}
		defer f.Close()
		cfg.NegotiationLog = f
	}
	var l *socket.Listener
	if *sock == "" {
		l, err = socket.ListenAuto()
	} else {
		l, err = socket.Listen(*sock)
	}
	if err != nil {
		fmt.Fprintf(stderr, "headway serve: %v\n", err)
		return exitFailure
	}
	cfg.SocketName = l.Name()
	comp, err := compositor.New(cfg)
	if err != nil {
		l.Close()
		fmt.Fprintf(stderr, "headway serve: %v\n", err)
		return exitFailure
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	comp.Display().AddListener(l)
	fmt.Fprintf(stdout, "WAYLAND_DISPLAY=%s\n", l.Name())
	if f, ok := stdout.(*os.File); ok {
		_ = f.Sync()
	}
	err = comp.Run(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "headway serve: %v\n", err)
		return exitFailure
	}
	return exitOK
}
